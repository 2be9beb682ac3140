//! The text forms of `nfct_snprintf`, `nfct_snprintf_labels` and
//! `nfexp_snprintf` (upstream src/conntrack/snprintf*.c and
//! src/expect/snprintf*.c): the one-line default form and the XML form,
//! written into the caller's buffer with upstream's truncation rules
//! (see [`buf`]).
//!
//! This module holds what both object families share: the name tables,
//! address text (`inet_ntoa`/`inet_ntop`), the clock the timestamp fields
//! need, and the two entry points.
#![forbid(unsafe_code)]

pub mod buf;
pub mod default;
pub mod expect;
pub mod xml;

use crate::conntrack::object::Tuple;
use crate::conntrack::Conntrack;
use crate::expect::Expect;
use crate::kernel::{
    AF_INET, AF_INET6, IPPROTO_DCCP, IPPROTO_GRE, IPPROTO_ICMP, IPPROTO_ICMPV6, IPPROTO_SCTP,
    IPPROTO_TCP, IPPROTO_UDP, IPPROTO_UDPLITE,
};
use crate::labels::LabelMap;
use crate::{Error, Result};
use buf::{Out, Piece};

/// `NFCT_O_DEFAULT` (also `NFCT_O_PLAIN`).
pub const O_DEFAULT: u32 = 0;
/// `NFCT_O_XML`.
pub const O_XML: u32 = 1;

/// `NFCT_OF_SHOW_LAYER3`.
pub const OF_SHOW_LAYER3: u32 = 1 << 0;
/// `NFCT_OF_TIME`.
pub const OF_TIME: u32 = 1 << 1;
/// `NFCT_OF_ID`.
pub const OF_ID: u32 = 1 << 2;
/// `NFCT_OF_TIMESTAMP`.
pub const OF_TIMESTAMP: u32 = 1 << 3;

pub use crate::query::dispatch::{T_DESTROY, T_NEW, T_UPDATE};

const NSEC_PER_SEC: u64 = 1_000_000_000;

/// Broken-down time with the fields and ranges of C's `struct tm`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tm {
    pub sec: i32,
    pub min: i32,
    pub hour: i32,
    /// Day of the month, 1..=31.
    pub mday: i32,
    /// Month, 0..=11.
    pub mon: i32,
    /// Years since 1900.
    pub year: i32,
    /// Day of the week, 0 = Sunday.
    pub wday: i32,
}

/// The clock and time zone the formatters read. Upstream calls `time()`,
/// `ctime()` and `localtime_r()`; the C layer supplies those, tests supply
/// fixed values.
pub trait Clock {
    /// Seconds since the epoch (`time(NULL)`).
    fn now(&self) -> i64;
    /// Local time of `t` as `ctime()` computes it (reading `TZ` afresh).
    fn ctime_local(&self, t: i64) -> Option<Tm>;
    /// Local time of `t` as `localtime_r()` computes it.
    fn local(&self, t: i64) -> Option<Tm>;
}

/// A clock stopped at `now`, in UTC. For tests and for callers without a
/// time zone.
#[derive(Debug, Clone, Copy, Default)]
pub struct UtcClock {
    pub now: i64,
}

impl Clock for UtcClock {
    fn now(&self) -> i64 {
        self.now
    }
    fn ctime_local(&self, t: i64) -> Option<Tm> {
        Some(utc(t))
    }
    fn local(&self, t: i64) -> Option<Tm> {
        Some(utc(t))
    }
}

/// Breaks `t` down as UTC (proleptic Gregorian calendar).
pub fn utc(t: i64) -> Tm {
    let days = t.div_euclid(86_400);
    let secs = t.rem_euclid(86_400);
    // Civil-from-days (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    Tm {
        sec: (secs % 60) as i32,
        min: (secs / 60 % 60) as i32,
        hour: (secs / 3600) as i32,
        mday: d as i32,
        mon: (m - 1) as i32,
        year: (y - 1900) as i32,
        wday: (days + 4).rem_euclid(7) as i32,
    }
}

const L3_NAMES: &[(u8, &str)] = &[(AF_INET, "ipv4"), (AF_INET6, "ipv6")];

const L4_NAMES: &[(u8, &str)] = &[
    (IPPROTO_TCP, "tcp"),
    (IPPROTO_UDP, "udp"),
    (IPPROTO_UDPLITE, "udplite"),
    (IPPROTO_ICMP, "icmp"),
    (IPPROTO_ICMPV6, "icmpv6"),
    (IPPROTO_SCTP, "sctp"),
    (IPPROTO_GRE, "gre"),
    (IPPROTO_DCCP, "dccp"),
];

/// TCP state names, indexed by `enum tcp_state`.
pub const TCP_STATES: [&str; 10] = [
    "NONE",
    "SYN_SENT",
    "SYN_RECV",
    "ESTABLISHED",
    "FIN_WAIT",
    "CLOSE_WAIT",
    "LAST_ACK",
    "TIME_WAIT",
    "CLOSE",
    "SYN_SENT2",
];

/// SCTP state names, indexed by `enum sctp_state`.
pub const SCTP_STATES: [&str; 10] = [
    "NONE",
    "CLOSED",
    "COOKIE_WAIT",
    "COOKIE_ECHOED",
    "ESTABLISHED",
    "SHUTDOWN_SENT",
    "SHUTDOWN_RECD",
    "SHUTDOWN_ACK_SENT",
    "HEARTBEAT_SENT",
    "HEARTBEAT_ACKED",
];

/// DCCP state names, indexed by `enum dccp_state`.
pub const DCCP_STATES: [&str; 10] = [
    "NONE", "REQUEST", "RESPOND", "PARTOPEN", "OPEN", "CLOSEREQ", "CLOSING", "TIMEWAIT", "IGNORE",
    "INVALID",
];

/// Name of a state in `table`, the table's first entry when out of range.
fn state_name(table: &[&'static str; 10], state: u8) -> &'static str {
    table.get(usize::from(state)).copied().unwrap_or(table[0])
}

/// Layer-3 protocol name ("unknown" for anything but IPv4 and IPv6).
pub fn l3proto_name(num: u8) -> &'static str {
    L3_NAMES
        .iter()
        .find(|(n, _)| *n == num)
        .map_or("unknown", |(_, s)| s)
}

/// Layer-4 protocol name ("unknown" when upstream has none).
pub fn proto_name(num: u8) -> &'static str {
    L4_NAMES
        .iter()
        .find(|(n, _)| *n == num)
        .map_or("unknown", |(_, s)| s)
}

/// `s` left-aligned in eight columns, as `%-8s` prints a name of at most
/// eight bytes.
const fn column(s: &str) -> [u8; 8] {
    let b = s.as_bytes();
    assert!(b.len() <= 8);
    let mut out = [b' '; 8];
    let mut i = 0;
    while i < b.len() {
        out[i] = b[i];
        i += 1;
    }
    out
}

/// The name tables, each name in eight columns.
const fn columns<const N: usize>(names: &[(u8, &str)]) -> [(u8, [u8; 8]); N] {
    let mut t = [(0u8, [0u8; 8]); N];
    let mut i = 0;
    while i < N {
        t[i] = (names[i].0, column(names[i].1));
        i += 1;
    }
    t
}
const L3_COLUMNS: [(u8, [u8; 8]); L3_NAMES.len()] = columns(L3_NAMES);
const L4_COLUMNS: [(u8, [u8; 8]); L4_NAMES.len()] = columns(L4_NAMES);
const UNKNOWN_COLUMN: [u8; 8] = column("unknown");

/// The entry for `num` in a column table, or "unknown".
#[inline]
fn column_of<const N: usize>(table: &'static [(u8, [u8; 8]); N], num: u8) -> &'static [u8; 8] {
    table
        .iter()
        .find(|(n, _)| *n == num)
        .map_or(&UNKNOWN_COLUMN, |(_, s)| s)
}

/// [`l3proto_name`] in eight columns (`%-8s`).
pub fn l3proto_column(num: u8) -> &'static [u8; 8] {
    column_of(&L3_COLUMNS, num)
}

/// [`proto_name`] in eight columns (`%-8s`).
pub fn proto_column(num: u8) -> &'static [u8; 8] {
    column_of(&L4_COLUMNS, num)
}

/// Whether the layer-4 protocol has ports.
fn has_ports(num: u8) -> bool {
    matches!(
        num,
        IPPROTO_TCP | IPPROTO_UDP | IPPROTO_UDPLITE | IPPROTO_SCTP | IPPROTO_DCCP
    )
}

/// `inet_ntoa` of four address bytes.
pub fn write_ipv4(p: &mut Piece<'_>, b: [u8; 4]) {
    // Built whole, then appended once: at most "255.255.255.255".
    let mut t = [0u8; 16];
    let mut n = 0;
    for (i, &x) in b.iter().enumerate() {
        if i != 0 {
            t[n] = b'.';
            n += 1;
        }
        let [d0, d1, d2, len] = buf::U8_TEXT[usize::from(x)];
        t[n..n + 3].copy_from_slice(&[d0, d1, d2]);
        n += usize::from(len);
    }
    p.bytes(&t[..n]);
}

/// glibc's `inet_ntop(AF_INET6)`: the longest run of two or more zero
/// words (the first of equal runs) becomes "::", and `::a.b.c.d` and
/// `::ffff:a.b.c.d` end in a dotted quad.
pub fn write_ipv6(p: &mut Piece<'_>, b: [u8; 16]) {
    let mut w = [0u16; 8];
    for (i, x) in w.iter_mut().enumerate() {
        *x = u16::from_be_bytes([b[2 * i], b[2 * i + 1]]);
    }
    // Runs of zero words as (start, length).
    let mut best: Option<(usize, usize)> = None;
    let mut cur: Option<(usize, usize)> = None;
    for (i, &x) in w.iter().enumerate() {
        if x == 0 {
            cur = Some(cur.map_or((i, 1), |(s, l)| (s, l + 1)));
        } else if let Some(c) = cur.take() {
            if best.is_none_or(|bst| c.1 > bst.1) {
                best = Some(c);
            }
        }
    }
    if let Some(c) = cur {
        if best.is_none_or(|bst| c.1 > bst.1) {
            best = Some(c);
        }
    }
    let best = best.filter(|&(_, l)| l >= 2);
    for (i, &x) in w.iter().enumerate() {
        if let Some((s, l)) = best {
            if i >= s && i < s + l {
                if i == s {
                    p.bytes(b":");
                }
                continue;
            }
        }
        if i != 0 {
            p.bytes(b":");
        }
        if i == 6 && best.is_some_and(|(s, l)| s == 0 && (l == 6 || (l == 5 && w[5] == 0xffff))) {
            write_ipv4(p, [b[12], b[13], b[14], b[15]]);
            return;
        }
        p.hex(u64::from(x));
    }
    if best.is_some_and(|(s, l)| s + l == 8) {
        p.bytes(b":");
    }
}

/// The source or destination address of `t` in text, nothing for an
/// address family other than IPv4 and IPv6.
fn write_addr(p: &mut Piece<'_>, t: &Tuple, src: bool) {
    let a = if src { &t.src } else { &t.dst };
    let b = a.bytes();
    match t.l3protonum {
        AF_INET => write_ipv4(p, [b[0], b[1], b[2], b[3]]),
        AF_INET6 => write_ipv6(p, b),
        _ => {}
    }
}

/// `ntohs` of a port or key as stored.
/// The security context as one piece between `open` and `close`;
/// `(null)` when there is none, as glibc prints upstream's NULL `%s`.
fn write_secctx(o: &mut impl buf::Emit, ct: &Conntrack, open: &[u8], close: &[u8]) -> buf::Step {
    o.piece(|p| {
        p.bytes(open);
        match ct.secctx.as_deref() {
            Some(s) => p.cstr(s),
            None => p.bytes(b"(null)"),
        }
        p.bytes(close);
    })
}

fn host16(stored: u16) -> u16 {
    u16::from_be(stored)
}

/// The `ctime()` text without its newline (glibc's asctime format).
fn write_ctime(p: &mut Piece<'_>, tm: &Tm) {
    const DAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let day = usize::try_from(tm.wday)
        .ok()
        .and_then(|d| DAYS.get(d))
        .unwrap_or(&"???");
    let mon = usize::try_from(tm.mon)
        .ok()
        .and_then(|m| MONTHS.get(m))
        .unwrap_or(&"???");
    p.fmt(format_args!(
        "{day} {mon}{:>3} {:02}:{:02}:{:02} {}",
        tm.mday,
        tm.hour,
        tm.min,
        tm.sec,
        i64::from(tm.year) + 1900
    ));
}

/// The `<hour>..<year>` elements of a `<when>` block.
fn localtime_xml(o: &mut Out<'_>, tm: &Tm) -> buf::Step {
    o.fmt(format_args!("<hour>{}</hour>", tm.hour))?;
    o.fmt(format_args!("<min>{:02}</min>", tm.min))?;
    o.fmt(format_args!("<sec>{:02}</sec>", tm.sec))?;
    o.fmt(format_args!("<wday>{}</wday>", tm.wday.wrapping_add(1)))?;
    o.fmt(format_args!("<day>{}</day>", tm.mday))?;
    o.fmt(format_args!("<month>{}</month>", tm.mon.wrapping_add(1)))?;
    o.fmt(format_args!("<year>{}</year>", tm.year.wrapping_add(1900)))
}

/// Formats `ct` into `buf` as `nfct_snprintf_labels` does (a `None` map is
/// `nfct_snprintf`).
///
/// Returns upstream's return value: the length the whole text has, even
/// when `buf` was too small; `Ok(-1)` where upstream returns -1 without
/// setting errno (the original-direction layer-4 protocol, or with
/// [`OF_SHOW_LAYER3`] the layer-3 protocol, is unset), leaving in `buf`
/// what was written up to there. Unknown `out_type` is
/// `Err(Os(ENOENT))`. An empty `buf` gives the same results, except that
/// where upstream would go on to write its terminator out of bounds it is
/// `Err(InvalidArgument)`.
pub fn snprintf_conntrack(
    buf: &mut [u8],
    ct: &Conntrack,
    msg_type: u32,
    out_type: u32,
    flags: u32,
    map: Option<&LabelMap>,
    clock: &dyn Clock,
) -> Result<i32> {
    let mut o = Out::new(buf);
    let size = match out_type {
        O_DEFAULT => default::conntrack(&mut o, ct, msg_type, flags, map, clock),
        O_XML => xml::conntrack(&mut o, ct, msg_type, flags, map, clock),
        _ => return Err(Error::Os(libc::ENOENT)),
    };
    finish(&mut o, size)
}

/// Formats `exp` into `buf` as `nfexp_snprintf` does. Return values as
/// [`snprintf_conntrack`].
pub fn snprintf_expect(
    buf: &mut [u8],
    exp: &Expect,
    msg_type: u32,
    out_type: u32,
    flags: u32,
    clock: &dyn Clock,
) -> Result<i32> {
    let mut o = Out::new(buf);
    let size = match out_type {
        O_DEFAULT => expect::default(&mut o, exp, msg_type),
        O_XML => expect::xml(&mut o, exp, msg_type, flags, clock),
        _ => return Err(Error::Os(libc::ENOENT)),
    };
    finish(&mut o, size)
}

fn finish(o: &mut Out<'_>, size: std::result::Result<i64, buf::Abort>) -> Result<i32> {
    match size {
        // Upstream would now write its terminator before an empty buffer.
        Ok(_) if o.capacity() == 0 => Err(Error::InvalidArgument),
        // Upstream's formatters keep `size` in an int.
        Ok(s) => Ok(buf::terminate(o, i64::from(s as i32))),
        Err(buf::Abort) => Ok(-1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conntrack::Attr;
    use crate::labels::Bitmask;
    use buf::Out;

    fn v6(s: &str) -> String {
        let a: std::net::Ipv6Addr = s.parse().unwrap();
        let mut b = [0u8; 64];
        let mut o = Out::new(&mut b);
        o.piece(|p| write_ipv6(p, a.octets())).unwrap();
        let n = o.size() as usize;
        String::from_utf8(b[..n].to_vec()).unwrap()
    }

    #[test]
    fn ipv6_text_matches_glibc() {
        // Expected strings printed by glibc's inet_ntop.
        for (a, t) in [
            ("::", "::"),
            ("::1", "::1"),
            ("::1.2.3.4", "::1.2.3.4"),
            ("::ffff:1.2.3.4", "::ffff:1.2.3.4"),
            ("::ffff:0:0", "::ffff:0.0.0.0"),
            ("1::", "1::"),
            ("1:0:0:1:0:0:0:1", "1:0:0:1::1"),
            ("1:0:0:1:0:0:1:1", "1::1:0:0:1:1"),
            ("2001:db8::ff00:42:8329", "2001:db8::ff00:42:8329"),
            ("1:0:1:0:1:0:1:0", "1:0:1:0:1:0:1:0"),
            ("0:0:1::", "0:0:1::"),
            ("::fffe:1.2.3.4", "::fffe:102:304"),
            ("0:0:0:0:0:1:0:0", "::1:0:0"),
            ("fe80::abcd:ef01", "fe80::abcd:ef01"),
        ] {
            assert_eq!(v6(a), t, "{a}");
        }
    }

    /// A clock whose time zone conversions fail.
    struct Broken;
    impl Clock for Broken {
        fn now(&self) -> i64 {
            5
        }
        fn ctime_local(&self, _: i64) -> Option<Tm> {
            None
        }
        fn local(&self, _: i64) -> Option<Tm> {
            None
        }
    }

    fn text(buf: &[u8], r: i32) -> &str {
        std::str::from_utf8(&buf[..r as usize]).unwrap()
    }

    #[test]
    fn failed_localtime_skips_when_and_helper() {
        let mut ct = Conntrack::new();
        ct.head.orig.protonum = 17;
        ct.mark_set(Attr::OrigL4Proto);
        ct.helper_name[..4].copy_from_slice(b"tftp");
        ct.mark_set(Attr::HelperName);
        let mut buf = [0u8; 1024];
        let r = snprintf_conntrack(&mut buf, &ct, 0, O_XML, OF_TIME, None, &Broken).unwrap();
        // Upstream jumps from a failed localtime_r() to the closing tag.
        assert!(text(&buf, r).ends_with("</layer4></meta></flow>"));
        let r = snprintf_conntrack(&mut buf, &ct, 0, O_XML, 0, None, &Broken).unwrap();
        assert!(text(&buf, r).ends_with("<helper>tftp</helper></flow>"));

        let mut exp = Expect::new();
        exp.flags = 1;
        let r = snprintf_expect(&mut buf, &exp, 0, O_XML, OF_TIME, &Broken).unwrap();
        assert!(text(&buf, r).ends_with("<meta><permanent/></meta></flow>"));
    }

    #[test]
    fn time_fields_use_the_clock() {
        let mut ct = Conntrack::new();
        ct.head.orig.protonum = 6;
        ct.mark_set(Attr::OrigL4Proto);
        ct.timestamp.start = 2_000_000_000;
        ct.mark_set(Attr::TimestampStart);
        let mut buf = [0u8; 1024];
        let r = snprintf_conntrack(&mut buf, &ct, 0, O_DEFAULT, OF_TIMESTAMP, None, &Broken);
        // No local time: the date is left empty (upstream would crash).
        assert_eq!(
            text(&buf, r.unwrap()),
            "tcp      6 sport=0 dport=0 delta-time=3 [start=]"
        );
        let clock = UtcClock {
            now: 86_400 * 366 + 3_600 * 13 + 62,
        };
        let r = snprintf_conntrack(&mut buf, &ct, 0, O_XML, OF_TIME, None, &clock).unwrap();
        assert!(text(&buf, r).ends_with(
            "<deltatime>31669260</deltatime></meta><when><hour>13</hour><min>01</min>\
             <sec>02</sec><wday>7</wday><day>2</day><month>1</month><year>1971</year>\
             </when></flow>"
        ));
    }

    #[test]
    fn odd_objects_do_not_panic() {
        let mut ct = Conntrack::new();
        for a in Attr::ALL {
            ct.mark_set(*a);
        }
        ct.head.orig.l3protonum = AF_INET6;
        ct.head.orig.protonum = IPPROTO_ICMPV6;
        ct.repl.l3protonum = AF_INET;
        ct.repl.protonum = IPPROTO_GRE;
        ct.helper_name = [b'h'; 16];
        ct.protoinfo.0[0] = 0xff;
        ct.status = u32::MAX;
        ct.timestamp = crate::conntrack::object::Timestamp {
            start: u64::MAX,
            stop: 1,
        };
        ct.secctx = Some(Box::new(*b"no-nul"));
        let mut b = Bitmask::new(200);
        b.set(0);
        b.set(199);
        ct.connlabels = Some(Box::new(b));
        let map = LabelMap {
            names: vec![Some("a".into()), Some(String::new())],
        };
        let clock = UtcClock { now: i64::MIN };
        let mut exp = Expect::new();
        exp.set = [u32::MAX];
        exp.flags = u32::MAX;
        exp.helper_name = [b'x'; 16];
        exp.expected.orig.l3protonum = AF_INET6;
        for size in (1..1300).step_by(3) {
            let mut buf = vec![0x55u8; size + 1];
            for out in [O_DEFAULT, O_XML] {
                for flags in 0..16 {
                    let r = snprintf_conntrack(
                        &mut buf[..size],
                        &ct,
                        7,
                        out,
                        flags,
                        Some(&map),
                        &clock,
                    );
                    assert!(r.unwrap() > 0);
                    let r = snprintf_expect(&mut buf[..size], &exp, 4, out, flags, &clock);
                    assert!(r.unwrap() > 0);
                }
            }
            assert_eq!(buf[size], 0x55, "wrote past the end at size {size}");
        }
        ct.connlabels = None;
        ct.secctx = None;
        let mut buf = [0u8; 2048];
        let r = snprintf_conntrack(&mut buf, &ct, 0, O_DEFAULT, 0, Some(&map), &clock).unwrap();
        assert!(text(&buf, r).contains("secctx=(null) "));
    }

    #[test]
    fn name_columns() {
        for n in 0..=255u8 {
            assert_eq!(
                l3proto_column(n),
                format!("{:<8}", l3proto_name(n)).as_bytes()
            );
            assert_eq!(proto_column(n), format!("{:<8}", proto_name(n)).as_bytes());
        }
    }

    #[test]
    fn utc_breakdown() {
        let tm = utc(0);
        assert_eq!((tm.year, tm.mon, tm.mday, tm.wday), (70, 0, 1, 4));
        let tm = utc(1_700_000_000);
        assert_eq!(
            (tm.year, tm.mon, tm.mday, tm.hour, tm.min, tm.sec, tm.wday),
            (123, 10, 14, 22, 13, 20, 2)
        );
        let tm = utc(-1);
        assert_eq!((tm.year, tm.mon, tm.mday, tm.hour), (69, 11, 31, 23));
    }
}

#[cfg(test)]
mod golden;
