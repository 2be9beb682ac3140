//! Connection labels: the bitmask object and the label map read from
//! connlabel.conf (upstream src/conntrack/labels.c and the bitmask part of
//! src/conntrack/api.c).
//!
//! The map reader follows upstream's line reader byte for byte: the file is
//! read in `fgets`-sized pieces of at most 1023 bytes, each piece is a
//! "line" holding a number in `strtoul` syntax (base 0) below 1024 and a
//! name made of ASCII letters, digits, spaces and dashes. Lines that do not
//! fit are skipped silently; the first line naming a bit or a name wins.
#![forbid(unsafe_code)]

use std::collections::HashSet;
use std::fs::File;
use std::io::{self, BufRead, BufReader};
use std::path::Path;

use crate::{Error, Result};

/// A fixed-size set of bits (upstream `struct nfct_bitmask`): room for
/// `maxbit + 1` bits rounded up to whole 32-bit words.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Bitmask {
    /// The bits, 32 to a word, bit 0 in word 0's least significant bit.
    pub words: Vec<u32>,
}

impl Bitmask {
    /// The largest `maxbit` that [`Bitmask::try_new`] accepts, as upstream's
    /// `nfct_bitmask_new`.
    pub const MAXBIT_LIMIT: u32 = 0xffff;

    /// A cleared bitmask holding at least bits `0..=maxbit`. Does not apply
    /// upstream's size limit; see [`Bitmask::try_new`].
    pub fn new(maxbit: u32) -> Bitmask {
        let words = (maxbit as usize / 32) + 1;
        Bitmask {
            words: vec![0; words],
        }
    }

    /// Like [`Bitmask::new`], but refuses `maxbit` above
    /// [`Bitmask::MAXBIT_LIMIT`] with `InvalidArgument`, as upstream's
    /// `nfct_bitmask_new` refuses it (returning NULL).
    pub fn try_new(maxbit: u32) -> Result<Bitmask> {
        if maxbit > Self::MAXBIT_LIMIT {
            return Err(Error::InvalidArgument);
        }
        Ok(Bitmask::new(maxbit))
    }

    /// Highest bit this mask can hold.
    pub fn maxbit(&self) -> u32 {
        (self.words.len() as u32)
            .saturating_mul(32)
            .saturating_sub(1)
    }

    /// Sets `bit`; bits beyond the mask are ignored.
    pub fn set(&mut self, bit: u32) {
        if let Some(w) = self.words.get_mut(bit as usize / 32) {
            *w |= 1 << (bit % 32);
        }
    }

    /// Clears `bit`; bits beyond the mask are ignored.
    pub fn unset(&mut self, bit: u32) {
        if let Some(w) = self.words.get_mut(bit as usize / 32) {
            *w &= !(1 << (bit % 32));
        }
    }

    /// Whether `bit` is set; bits beyond the mask read as clear.
    pub fn test(&self, bit: u32) -> bool {
        self.words
            .get(bit as usize / 32)
            .is_some_and(|w| w & (1 << (bit % 32)) != 0)
    }

    /// Clears every bit.
    pub fn clear(&mut self) {
        self.words.iter_mut().for_each(|w| *w = 0);
    }

    /// Whether both masks have the same size and the same bits, as
    /// upstream's `nfct_bitmask_equal` (masks of different sizes differ).
    pub fn equal(&self, other: &Bitmask) -> bool {
        self == other
    }
}

/// The file [`LabelMap::load`] reads when given no path; upstream's
/// `CONNLABEL_CFG`, and what Debian's build returns too.
pub const DEFAULT_PATH: &str = "/etc/xtables/connlabel.conf";

/// Label bits a map may name: `0..MAX_LABEL_BITS` (upstream `MAX_BITS`).
pub const MAX_LABEL_BITS: u32 = 1024;

/// Longest piece upstream's reader takes at once: its 1024-byte `fgets`
/// buffer less the terminating NUL.
const CHUNK_MAX: usize = 1023;

/// Label names by bit, as read from a connlabel.conf file.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LabelMap {
    /// `names[bit]` is the name of label `bit`, if the file named it. The
    /// length is one past the highest named bit (upstream's `namecount`).
    pub names: Vec<Option<String>>,
}

impl LabelMap {
    /// The name of label `bit`, if any.
    pub fn name(&self, bit: u32) -> Option<&str> {
        self.names.get(bit as usize)?.as_deref()
    }

    /// The bit of the label called `name`, if any.
    pub fn bit(&self, name: &str) -> Option<u32> {
        self.names
            .iter()
            .position(|n| n.as_deref() == Some(name))
            .map(|b| b as u32)
    }

    /// One past the highest named bit (upstream's `namecount`): bits below
    /// it without a name read as `""` through `nfct_labelmap_get_name`,
    /// bits from it on as NULL.
    pub fn bit_count(&self) -> u32 {
        self.names.len() as u32
    }

    /// Reads the map from `path`, or from [`DEFAULT_PATH`] when `None`.
    ///
    /// Fails with `Os(errno)` when the file cannot be opened, and with
    /// `Os(0)` when it names no label at all (upstream returns NULL with
    /// errno 0 then). A read error ends the file early, as it ends
    /// upstream's `fgets` loop.
    pub fn load(path: Option<&Path>) -> Result<LabelMap> {
        let path = path.unwrap_or_else(|| Path::new(DEFAULT_PATH));
        let file = File::open(path).map_err(|e| Error::Os(e.raw_os_error().unwrap_or(0)))?;
        LabelMap::read(BufReader::new(file))
    }

    /// Reads the map from the contents of a connlabel.conf file; fails with
    /// `Os(0)` when they name no label, like [`LabelMap::load`].
    pub fn parse(data: &[u8]) -> Result<LabelMap> {
        LabelMap::read(data)
    }

    fn read(mut input: impl BufRead) -> Result<LabelMap> {
        let mut names: Vec<Option<String>> = Vec::new();
        let mut seen: HashSet<String> = HashSet::new();
        let mut chunk = Vec::with_capacity(CHUNK_MAX);
        while next_chunk(&mut input, &mut chunk) {
            let Some((bit, name)) = parse_line(&chunk) else {
                continue;
            };
            let idx = bit as usize;
            if names.get(idx).is_some_and(Option::is_some) {
                continue;
            }
            if !seen.insert(name.to_owned()) {
                continue;
            }
            if names.len() <= idx {
                names.resize(idx + 1, None);
            }
            if let Some(slot) = names.get_mut(idx) {
                *slot = Some(name.to_owned());
            }
        }
        if names.is_empty() {
            return Err(Error::Os(0));
        }
        Ok(LabelMap { names })
    }
}

/// Reads the next piece the way `fgets` with a 1024-byte buffer does: up to
/// and including a newline, at most [`CHUNK_MAX`] bytes. Returns false at
/// the end of input or on a read error (a piece cut short by an error is
/// dropped, as `fgets` drops it).
fn next_chunk(input: &mut impl BufRead, chunk: &mut Vec<u8>) -> bool {
    chunk.clear();
    while chunk.len() < CHUNK_MAX {
        let buf = match input.fill_buf() {
            Ok(buf) => buf,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(_) => return false,
        };
        if buf.is_empty() {
            break;
        }
        let room = CHUNK_MAX - chunk.len();
        let take = buf.iter().take(room).position(|&b| b == b'\n');
        let (n, done) = match take {
            Some(i) => (i + 1, true),
            None => (buf.len().min(room), false),
        };
        chunk.extend_from_slice(buf.get(..n).unwrap_or_default());
        input.consume(n);
        if done {
            break;
        }
    }
    !chunk.is_empty()
}

/// The bit and name a line assigns, or `None` when upstream skips it.
fn parse_line(chunk: &[u8]) -> Option<(u32, &str)> {
    // C sees the piece only up to its first NUL byte.
    let line = chunk.split(|&b| b == 0).next().unwrap_or_default();
    if line.first() == Some(&b'#') {
        return None;
    }
    let (value, end) = strtoul(line)?;
    if value >= u64::from(MAX_LABEL_BITS) {
        return None;
    }
    let name = trim_name(line.get(end..).unwrap_or_default())?;
    if !name
        .iter()
        .all(|&c| c.is_ascii_alphanumeric() || c == b' ' || c == b'-')
    {
        return None;
    }
    // Only ASCII is left, so this cannot fail.
    let name = std::str::from_utf8(name).ok()?;
    Some((value as u32, name))
}

/// `strtoul(s, &end, 0)` on a 64-bit C library: the value and the index
/// where parsing stopped, or `None` when no digits were found.
fn strtoul(s: &[u8]) -> Option<(u64, usize)> {
    let at = |i: usize| s.get(i).copied().unwrap_or(0);
    let mut i = 0;
    while matches!(at(i), b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r') {
        i += 1;
    }
    let negative = at(i) == b'-';
    if matches!(at(i), b'+' | b'-') {
        i += 1;
    }
    let base: u32 =
        if at(i) == b'0' && matches!(at(i + 1), b'x' | b'X') && at(i + 2).is_ascii_hexdigit() {
            i += 2;
            16
        } else if at(i) == b'0' {
            8
        } else {
            10
        };
    let start = i;
    let mut value: u64 = 0;
    let mut overflow = false;
    while let Some(d) = char::from(at(i)).to_digit(base) {
        match value
            .checked_mul(u64::from(base))
            .and_then(|v| v.checked_add(u64::from(d)))
        {
            Some(v) => value = v,
            None => overflow = true,
        }
        i += 1;
    }
    if i == start {
        return None;
    }
    let value = if overflow {
        u64::MAX
    } else if negative {
        value.wrapping_neg()
    } else {
        value
    };
    Some((value, i))
}

/// Upstream's `trim_label`: drops POSIX blanks (not newlines) in front, cuts
/// at the first newline, drops blanks at the end; `None` if nothing is left.
fn trim_name(s: &[u8]) -> Option<&[u8]> {
    let blank = |c: &u8| matches!(c, b' ' | 0x0c | b'\r' | b'\t' | 0x0b);
    let start = s.iter().position(|c| !blank(c)).unwrap_or(s.len());
    let s = s.get(start..).unwrap_or_default();
    let s = s.split(|&c| c == b'\n').next().unwrap_or_default();
    let end = s.iter().rposition(|c| !blank(c)).map_or(0, |i| i + 1);
    let s = s.get(..end).unwrap_or_default();
    (!s.is_empty()).then_some(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(map: &LabelMap) -> Vec<(u32, &str)> {
        (0..map.bit_count())
            .filter_map(|b| map.name(b).map(|n| (b, n)))
            .collect()
    }

    #[test]
    fn bitmask_sizes_follow_upstream() {
        // Observed from the original: new(0|1|31) -> 31, new(32) -> 63,
        // new(64) -> 95, new(127) -> 127, new(0xffff) -> 0xffff.
        for (max, want) in [
            (0, 31),
            (1, 31),
            (31, 31),
            (32, 63),
            (63, 63),
            (64, 95),
            (127, 127),
        ] {
            assert_eq!(Bitmask::new(max).maxbit(), want, "new({max})");
        }
        assert_eq!(Bitmask::try_new(0xffff).map(|b| b.maxbit()), Ok(0xffff));
        assert_eq!(Bitmask::try_new(0x10000), Err(Error::InvalidArgument));
        assert_eq!(Bitmask::try_new(u32::MAX), Err(Error::InvalidArgument));
    }

    #[test]
    fn bitmask_bits() {
        let mut b = Bitmask::new(40);
        assert_eq!(b.words, vec![0, 0]);
        b.set(0);
        b.set(33);
        b.set(63);
        assert_eq!(b.words, vec![1, (1 << 1) | (1 << 31)]);
        assert!(b.test(0) && b.test(33) && b.test(63) && !b.test(1));
        // Beyond the mask: ignored, reads clear.
        b.set(64);
        b.set(u32::MAX);
        assert!(!b.test(64) && !b.test(u32::MAX));
        assert_eq!(b.words.len(), 2);
        b.unset(33);
        b.unset(1000);
        assert!(!b.test(33) && b.test(63));
        let c = b.clone();
        assert!(c.equal(&b));
        b.clear();
        assert_eq!(b.words, vec![0, 0]);
        assert!(!c.equal(&b));
        // Same bits, different sizes: not equal.
        assert!(!Bitmask::new(31).equal(&Bitmask::new(32)));
        assert!(Bitmask::new(0).equal(&Bitmask::new(31)));
    }

    #[test]
    fn parses_plain_file() {
        let map = LabelMap::parse(b"0 eth0-in\n1\tfoo bar \n# 2 hidden\n\n5 five\n").unwrap();
        assert_eq!(map.bit_count(), 6);
        assert_eq!(
            names(&map),
            vec![(0, "eth0-in"), (1, "foo bar"), (5, "five")]
        );
        assert_eq!(map.name(2), None);
        assert_eq!(map.name(6), None);
        assert_eq!(map.bit("foo bar"), Some(1));
        assert_eq!(map.bit("hidden"), None);
        assert_eq!(map.bit("five "), None);
    }

    #[test]
    fn numbers_as_strtoul_reads_them() {
        let map = LabelMap::parse(
            b"0x1f hex\n010 octal\n  +3 plus\n-0 minuszero\n\x0b\r7 lead\n9name\n08 eight\n0xg zerox\n",
        )
        .unwrap();
        assert_eq!(
            names(&map),
            vec![
                (0, "minuszero"),
                (3, "plus"),
                (7, "lead"),
                (8, "octal"),
                (9, "name"),
                (31, "hex")
            ]
        );
        // "08": octal 0 then name "8"; "0xg": 0 then name "xg". Bit 0 was
        // taken by then, so both are skipped.
        assert_eq!(map.bit("8"), None);
        assert_eq!(map.bit("xg"), None);
        let map = LabelMap::parse(b"08 eight\n").unwrap();
        assert_eq!(names(&map), vec![(0, "8 eight")]);
        let map = LabelMap::parse(b"0xg\n").unwrap();
        assert_eq!(names(&map), vec![(0, "xg")]);
    }

    #[test]
    fn skips_bad_lines() {
        let data = b"1024 toobig\n-1 negative\n99999999999999999999999 huge\nfoo 3\n\
                     4\n4   \n4 bad_name\n4 bad;name\n4 caf\xc3\xa9\n #5 x\n6 ok # comment\n7 ok2\n";
        let map = LabelMap::parse(data).unwrap();
        assert_eq!(names(&map), vec![(7, "ok2")]);
        assert_eq!(map.bit_count(), 8);
    }

    #[test]
    fn first_bit_and_first_name_win() {
        let map = LabelMap::parse(b"1 a\n1 b\n2 a\n3 b\n1023 last\n").unwrap();
        assert_eq!(names(&map), vec![(1, "a"), (3, "b"), (1023, "last")]);
        assert_eq!(map.bit_count(), 1024);
        // A skipped line does not claim its bit.
        let map = LabelMap::parse(b"2 x!\n2 y\n").unwrap();
        assert_eq!(names(&map), vec![(2, "y")]);
    }

    #[test]
    fn empty_or_useless_file_fails_with_errno_zero() {
        assert_eq!(LabelMap::parse(b""), Err(Error::Os(0)));
        assert_eq!(LabelMap::parse(b"# only\n\nx y\n"), Err(Error::Os(0)));
    }

    #[test]
    fn last_line_without_newline_and_crlf() {
        let map = LabelMap::parse(b"1 dos\r\n2 end").unwrap();
        assert_eq!(names(&map), vec![(1, "dos"), (2, "end")]);
    }

    #[test]
    fn nul_byte_ends_the_line_for_c() {
        let map = LabelMap::parse(b"1 ab\0cd\n2 ef\n\x003 gh\n").unwrap();
        assert_eq!(names(&map), vec![(1, "ab"), (2, "ef")]);
    }

    #[test]
    fn long_lines_are_read_in_1023_byte_pieces() {
        // A comment of 1100 bytes: its tail from byte 1023 on is read as a
        // line of its own.
        let mut data = b"#".to_vec();
        data.resize(1023, b'x');
        data.extend_from_slice(b"12 tail\n");
        let map = LabelMap::parse(&data).unwrap();
        assert_eq!(names(&map), vec![(12, "tail")]);

        // A name running past the piece is cut there; the rest of the line
        // ("aaa...") has no number and is skipped.
        let mut data = b"3 ".to_vec();
        data.resize(1023 + 5, b'a');
        data.push(b'\n');
        let map = LabelMap::parse(&data).unwrap();
        assert_eq!(map.name(3).map(str::len), Some(1021));

        // Exactly 1022 bytes plus newline fit in one piece.
        let mut data = b"4 ".to_vec();
        data.resize(1022, b'b');
        data.extend_from_slice(b"\n5 c\n");
        let map = LabelMap::parse(&data).unwrap();
        assert_eq!(map.name(4).map(str::len), Some(1020));
        assert_eq!(map.name(5), Some("c"));
    }

    #[test]
    fn load_reports_open_errors() {
        assert_eq!(
            LabelMap::load(Some(Path::new("/nonexistent/connlabel.conf"))),
            Err(Error::Os(libc::ENOENT))
        );
        // A directory opens but cannot be read: no labels, errno 0.
        assert_eq!(LabelMap::load(Some(Path::new("/"))), Err(Error::Os(0)));
    }

    #[test]
    fn load_reads_a_file() {
        let path = std::env::temp_dir().join(format!("nfct-labels-{}.conf", std::process::id()));
        std::fs::write(&path, b"0 zero\n63 sixty-three\n").unwrap();
        let map = LabelMap::load(Some(&path));
        std::fs::remove_file(&path).unwrap();
        let map = map.unwrap();
        assert_eq!(map.bit("sixty-three"), Some(63));
        assert_eq!(map.bit_count(), 64);
    }

    #[test]
    fn arbitrary_bytes_do_not_panic() {
        let mut seed: u32 = 12345;
        let alphabet = b"0123 x-#\n\t\0\r9aZ+-";
        for len in 0..300 {
            let data: Vec<u8> = (0..len * 7)
                .map(|_| {
                    seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12345);
                    alphabet[(seed >> 16) as usize % alphabet.len()]
                })
                .collect();
            let _ = LabelMap::parse(&data);
        }
    }
}
