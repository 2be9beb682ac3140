//! A bounded output buffer that reproduces, byte for byte and return value
//! for return value, how upstream's text formatters fill the caller's
//! buffer (the `BUFFER_SIZE` bookkeeping of include/internal/internal.h).
//!
//! Upstream appends each piece with `snprintf(buf + offset, len, ...)` and
//! then adds the piece's full length to `size`, while `offset` advances and
//! `len` shrinks by at most `len`. A piece that does not fit is therefore
//! cut one byte short (snprintf keeps room for its NUL) and everything
//! after it is dropped, yet `size` keeps counting. Helper functions keep
//! their own `size`/`offset`/`len` starting from the caller's position;
//! [`Out::call`] models such a nested frame, which matters where a helper
//! returns something other than the plain sum of its pieces.
#![forbid(unsafe_code)]

use std::fmt;

/// A piece failed the way upstream's helpers fail (they return -1 and the
/// whole formatter returns -1 at once, leaving what was written so far).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Abort;

/// Result of appending a piece.
pub type Step = std::result::Result<(), Abort>;

/// The caller's buffer plus the `offset`, `len` and `size` of the
/// upstream function currently writing into it.
#[derive(Debug)]
pub struct Out<'a> {
    buf: &'a mut [u8],
    /// Where the next piece goes. Upstream can move it one byte back
    /// (see [`Out::back_one`]), possibly to -1 when nothing was written.
    off: isize,
    /// Bytes left for the next `snprintf`, as upstream tracks them.
    len: usize,
    /// Sum of the full lengths of the pieces of the current frame.
    size: i64,
}

impl<'a> Out<'a> {
    /// A frame covering the whole buffer (upstream's `len` = buffer size).
    pub fn new(buf: &'a mut [u8]) -> Out<'a> {
        let len = buf.len();
        Out {
            buf,
            off: 0,
            len,
            size: 0,
        }
    }

    /// The `size` accumulated by the current frame.
    pub fn size(&self) -> i64 {
        self.size
    }

    /// The `len` upstream has left for the next piece.
    pub fn remaining(&self) -> usize {
        self.len
    }

    /// The whole buffer's capacity.
    pub fn capacity(&self) -> usize {
        self.buf.len()
    }

    /// The byte at absolute position `pos`, if inside the buffer.
    pub fn byte_at(&self, pos: i64) -> Option<u8> {
        usize::try_from(pos)
            .ok()
            .and_then(|p| self.buf.get(p).copied())
    }

    /// Writes a NUL at absolute position `pos` if it is inside the buffer.
    pub fn nul_at(&mut self, pos: usize) {
        if let Some(b) = self.buf.get_mut(pos) {
            *b = 0;
        }
    }

    /// Upstream's `offset--; size--;` (used to drop a trailing comma).
    pub fn back_one(&mut self) {
        self.off -= 1;
        self.size = self.size.wrapping_sub(1);
    }

    /// `BUFFER_SIZE(ret, size, len, offset)`: accounts for a piece or a
    /// helper that reported `ret`.
    pub fn account(&mut self, ret: i64) -> Step {
        if ret < 0 {
            return Err(Abort);
        }
        self.size = self.size.wrapping_add(ret);
        let adv = usize::try_from(ret).unwrap_or(usize::MAX).min(self.len);
        self.off = self
            .off
            .saturating_add(isize::try_from(adv).unwrap_or(isize::MAX));
        self.len -= adv;
        Ok(())
    }

    /// Runs `f` as a nested helper starting at the current position with
    /// the current `len` and a fresh `size`, then accounts for the value
    /// it returns, as the caller's `BUFFER_SIZE` does.
    pub fn call<F>(&mut self, f: F) -> Step
    where
        F: FnOnce(&mut Out<'a>) -> std::result::Result<i64, Abort>,
    {
        let (off, len, size) = (self.off, self.len, self.size);
        self.size = 0;
        let r = f(self);
        self.off = off;
        self.len = len;
        self.size = size;
        self.account(r?)
    }

    /// One `snprintf` of formatted text followed by `BUFFER_SIZE`.
    pub fn fmt(&mut self, args: fmt::Arguments<'_>) -> Step {
        let ret = self.snprintf(|p| {
            let _ = fmt::Write::write_fmt(p, args);
        });
        self.account(ret)
    }

    /// One `snprintf` of literal text followed by `BUFFER_SIZE`.
    pub fn text(&mut self, s: &str) -> Step {
        self.piece(|p| p.bytes(s.as_bytes()))
    }

    /// One `snprintf` built by `f` from raw bytes and formatted text,
    /// followed by `BUFFER_SIZE`.
    pub fn piece<F: FnOnce(&mut Piece<'_>)>(&mut self, f: F) -> Step {
        let ret = self.snprintf(f);
        self.account(ret)
    }

    /// One `snprintf` of formatted text inside a helper that returns the
    /// `ret` which `BUFFER_SIZE` has clamped to the space left (upstream's
    /// `__snprintf_proto_xml`): the text counts only as far as it fit.
    pub fn fmt_clamped(&mut self, args: fmt::Arguments<'_>) -> Step {
        let ret = self.snprintf(|p| {
            let _ = fmt::Write::write_fmt(p, args);
        });
        let fit = usize::try_from(ret).unwrap_or(usize::MAX).min(self.len);
        self.account(i64::try_from(fit).unwrap_or(i64::MAX))
    }

    /// Runs `f` as one `snprintf` when more than `max` bytes are left at
    /// the current position; `None`, with nothing written, otherwise.
    /// When `f` appends at most `max` bytes, as a series of upstream's
    /// pieces (see [`Emit`]), none of them is cut short, so the one piece
    /// leaves the same bytes, the same terminator after them and the same
    /// `size` as the series would, without the bookkeeping for each.
    pub fn joined<R, F>(&mut self, max: usize, f: F) -> Option<R>
    where
        F: FnOnce(&mut Piece<'_>) -> R,
    {
        if self.off < 0 || self.len <= max {
            return None;
        }
        let mut r = None;
        let ret = self.snprintf(|p| r = Some(f(p)));
        self.account(ret).ok()?;
        r
    }

    /// Like snprintf at the current position with the current `len`:
    /// writes what fits, NUL-terminates when `len > 0`, and returns the
    /// full length of the text.
    fn snprintf<F: FnOnce(&mut Piece<'_>)>(&mut self, f: F) -> i64 {
        let start = usize::try_from(self.off).ok();
        let cap = if start.is_some() { self.len } else { 0 };
        let mut p = Piece {
            buf: &mut *self.buf,
            start: start.unwrap_or(0),
            cap,
            n: 0,
        };
        f(&mut p);
        let n = p.n;
        if cap > 0 {
            let end = p.start.saturating_add(n.min(cap - 1));
            if let Some(b) = p.buf.get_mut(end) {
                *b = 0;
            }
        }
        i64::try_from(n).unwrap_or(i64::MAX)
    }
}

/// Where the formatters append upstream's pieces: an [`Out`] applies
/// upstream's bookkeeping to each piece; a [`Piece`] opened by
/// [`Out::joined`] has room for all of them and simply appends them.
pub trait Emit {
    /// One `snprintf` built by `f`, followed by `BUFFER_SIZE`.
    fn piece<F: FnOnce(&mut Piece<'_>)>(&mut self, f: F) -> Step;

    /// One `snprintf` of formatted text followed by `BUFFER_SIZE`.
    fn fmt(&mut self, args: fmt::Arguments<'_>) -> Step {
        self.piece(|p| p.fmt(args))
    }

    /// One `snprintf` of literal text followed by `BUFFER_SIZE`.
    fn text(&mut self, s: &str) -> Step {
        self.piece(|p| p.bytes(s.as_bytes()))
    }
}

impl Emit for Out<'_> {
    fn piece<F: FnOnce(&mut Piece<'_>)>(&mut self, f: F) -> Step {
        Out::piece(self, f)
    }
}

impl Emit for Piece<'_> {
    fn piece<F: FnOnce(&mut Piece<'_>)>(&mut self, f: F) -> Step {
        f(self);
        Ok(())
    }
}

/// Powers of ten: `POW10[i]` is the smallest number with `i + 1` digits.
const POW10: [u64; 20] = {
    let mut t = [1u64; 20];
    let mut i = 1;
    while i < 20 {
        t[i] = t[i - 1] * 10;
        i += 1;
    }
    t
};

/// "00" to "99", two bytes each.
const PAIRS: &[u8; 200] = b"0001020304050607080910111213141516171819\
2021222324252627282930313233343536373839\
4041424344454647484950515253545556575859\
6061626364656667686970717273747576777879\
8081828384858687888990919293949596979899";

/// Writes the decimal digits of `v` into `d`, which is exactly as long
/// as their count, two at a time from the end.
fn put_digits(d: &mut [u8], v: u64) {
    let (mut d, mut v) = (d, v);
    while let [head @ .., x, y] = d {
        let r = (v % 100) as usize * 2;
        v /= 100;
        *x = PAIRS[r];
        *y = PAIRS[r + 1];
        d = head;
    }
    if let [x] = d {
        *x = b'0' + (v % 10) as u8;
    }
}

/// How many decimal digits `v` has: the bit length times log10(2)
/// (1233 / 4096) gives the count or one less, one comparison settles it.
/// `v | 1` has as many digits as `v`, and at least one.
fn dec_len(v: u64) -> usize {
    let w = v | 1;
    let t = ((64 - w.leading_zeros() as usize) * 1233) >> 12;
    t + usize::from(POW10.get(t).is_some_and(|&p| w >= p))
}

/// The decimal text of every byte value: up to three digits, then the
/// digit count.
pub(crate) const U8_TEXT: [[u8; 4]; 256] = {
    let mut t = [[0u8; 4]; 256];
    let mut v = 0;
    while v < 256 {
        let (h, te, o) = ((v / 100) as u8, (v / 10 % 10) as u8, (v % 10) as u8);
        t[v] = if v >= 100 {
            [b'0' + h, b'0' + te, b'0' + o, 3]
        } else if v >= 10 {
            [b'0' + te, b'0' + o, 0, 2]
        } else {
            [b'0' + o, 0, 0, 1]
        };
        v += 1;
    }
    t
};

/// The text of one `snprintf` call being produced: bytes that fit are
/// stored, all are counted.
pub struct Piece<'b> {
    buf: &'b mut [u8],
    start: usize,
    cap: usize,
    n: usize,
}

impl Piece<'_> {
    /// Appends raw bytes (a `%s` argument).
    pub fn bytes(&mut self, s: &[u8]) {
        // Fast path: all of `s` fits before the byte kept for the NUL.
        let end = self.n + s.len();
        if end < self.cap {
            let at = self.start.saturating_add(self.n);
            if let Some(d) = self.buf.get_mut(at..at.saturating_add(s.len())) {
                d.copy_from_slice(s);
                self.n = end;
                return;
            }
        }
        for &c in s {
            if self.n + 1 < self.cap {
                if let Some(b) = self.buf.get_mut(self.start.saturating_add(self.n)) {
                    *b = c;
                }
            }
            self.n += 1;
        }
    }

    /// Appends a C string held in a fixed array: the bytes before the first
    /// NUL, or all of them when there is none.
    pub fn cstr(&mut self, s: &[u8]) {
        let end = s.iter().position(|&c| c == 0).unwrap_or(s.len());
        self.bytes(s.get(..end).unwrap_or(&[]));
    }

    /// Appends `v` in decimal (`%u`, `%lu`, `%llu`).
    pub fn dec(&mut self, v: u64) {
        // Fast path: the digits fit; they are written in place.
        let len = dec_len(v);
        let end = self.n + len;
        if end < self.cap {
            let at = self.start.saturating_add(self.n);
            if let Some(d) = self.buf.get_mut(at..at.saturating_add(len)) {
                put_digits(d, v);
                self.n = end;
                return;
            }
        }
        let mut tmp = [0u8; 20];
        let mut i = tmp.len();
        let mut v = v;
        loop {
            i -= 1;
            tmp[i] = b'0' + (v % 10) as u8;
            v /= 10;
            if v == 0 {
                break;
            }
        }
        self.bytes(tmp.get(i..).unwrap_or_default());
    }

    /// Appends `v` in lowercase hexadecimal without prefix (`%x`).
    pub fn hex(&mut self, v: u64) {
        const DIGITS: &[u8; 16] = b"0123456789abcdef";
        let mut tmp = [0u8; 16];
        let mut i = tmp.len();
        let mut v = v;
        loop {
            i -= 1;
            tmp[i] = DIGITS[(v & 0xf) as usize];
            v >>= 4;
            if v == 0 {
                break;
            }
        }
        self.bytes(tmp.get(i..).unwrap_or_default());
    }

    /// Appends `s` left-aligned in `width` columns (`%-8s`).
    pub fn left(&mut self, s: &str, width: usize) {
        self.bytes(s.as_bytes());
        const BLANKS: &[u8] = b"                ";
        let pad = width.saturating_sub(s.len()).min(BLANKS.len());
        self.bytes(BLANKS.get(..pad).unwrap_or_default());
    }

    /// Appends formatted text.
    pub fn fmt(&mut self, args: fmt::Arguments<'_>) {
        let _ = fmt::Write::write_fmt(self, args);
    }
}

impl fmt::Write for Piece<'_> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        self.bytes(s.as_bytes());
        Ok(())
    }
}

/// Upstream's closing step: NUL-terminates at `size`, or at the last byte
/// when the text did not fit (`buf[size+1 > len ? len-1 : size] = '\0'`).
/// Negative sizes are returned as they are, without a terminator.
pub fn terminate(out: &mut Out<'_>, size: i64) -> i32 {
    if size < 0 {
        return size as i32;
    }
    // Upstream compares as unsigned int; size is non-negative here.
    let cap = out.capacity() as u64;
    let s = size as u32 as u64;
    let pos = if s + 1 > cap {
        cap.saturating_sub(1)
    } else {
        s
    };
    out.nul_at(pos as usize);
    size as i32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fits() {
        let mut b = [b'X'; 8];
        let mut o = Out::new(&mut b);
        o.text("ab").unwrap();
        o.fmt(format_args!("{}", 12)).unwrap();
        assert_eq!(o.size(), 4);
        assert_eq!(o.remaining(), 4);
        assert_eq!(&b[..6], b"ab12\0X");
    }

    #[test]
    fn truncates_like_snprintf() {
        let mut b = [b'X'; 4];
        let mut o = Out::new(&mut b);
        o.text("ab").unwrap();
        o.text("cd").unwrap();
        o.text("ef").unwrap();
        assert_eq!(o.size(), 6);
        assert_eq!(o.remaining(), 0);
        // "cd" needed 2 of the 2 bytes left: cut to "c" plus NUL.
        assert_eq!(&b, b"abc\0");
    }

    #[test]
    fn nested_frame_and_back_one() {
        let mut b = [b'X'; 16];
        let mut o = Out::new(&mut b);
        o.text("x=").unwrap();
        o.call(|o| {
            o.text("a,")?;
            o.back_one();
            o.text(" ")?;
            Ok(o.size())
        })
        .unwrap();
        assert_eq!(o.size(), 4);
        assert_eq!(&b[..5], b"x=a \0");
    }

    #[test]
    fn digits_match_format() {
        for v in [0u64, 1, 9, 10, 99, 255, 65535, 1 << 32, u64::MAX] {
            let mut b = [0u8; 64];
            let mut o = Out::new(&mut b);
            o.piece(|p| {
                p.dec(v);
                p.bytes(b" ");
                p.hex(v);
                p.bytes(b" ");
                p.left("tcp", 8);
                p.bytes(b"|");
            })
            .unwrap();
            let n = o.size() as usize;
            assert_eq!(
                std::str::from_utf8(&b[..n]).unwrap(),
                format!("{v} {v:x} {:<8}|", "tcp")
            );
        }
        // Cut short like snprintf when the buffer ends inside the digits.
        let mut b = [b'X'; 4];
        let mut o = Out::new(&mut b);
        o.piece(|p| p.dec(123456)).unwrap();
        assert_eq!((o.size(), &b), (6, b"123\0"));
    }

    #[test]
    fn digit_counts() {
        let mut v = 1u64;
        while let Some(n) = v.checked_mul(10) {
            for w in [v - 1, v, v + 1, n - 1] {
                assert_eq!(dec_len(w), w.to_string().len(), "{w}");
            }
            v = n;
        }
        for s in 0..64 {
            let w = 1u64 << s;
            for w in [w - 1, w, w | (w - 1)] {
                assert_eq!(dec_len(w), w.to_string().len(), "{w}");
            }
        }
        assert_eq!(dec_len(u64::MAX), 20);
    }

    #[test]
    fn abort_and_terminate() {
        let mut b = [b'X'; 3];
        let mut o = Out::new(&mut b);
        assert_eq!(o.account(-1), Err(Abort));
        o.text("abcdef").unwrap();
        assert_eq!(terminate(&mut o, 6), 6);
        assert_eq!(&b, b"ab\0");
        let mut o = Out::new(&mut b);
        assert_eq!(terminate(&mut o, -1), -1);
    }
}
