//! Replays ctests/snprintf/cases.txt with objects built directly in Rust
//! and compares every result with ctests/snprintf/expected.txt, which the
//! C driver ctests/snprintf/driver.c printed with the original library
//! (libnetfilter_conntrack 1.0.9, TZ=UTC). The output format here is the
//! driver's, line for line.
#![forbid(unsafe_code)]

use super::{snprintf_conntrack, snprintf_expect, UtcClock};
use crate::conntrack::object::{Addr, DIR_ORIG, DIR_REPL, HELPER_NAME_MAX};
use crate::conntrack::{Attr, Conntrack};
use crate::expect::{ExpAttr, Expect};
use crate::labels::{Bitmask, LabelMap};
use std::fmt::Write;

const CASES: &str = include_str!("../../ctests/snprintf/cases.txt");
const EXPECTED: &str = include_str!("../../ctests/snprintf/expected.txt");
const TIME_CASES: &str = include_str!("../../ctests/snprintf/cases-time.txt");
const TIME_EXPECTED: &str = include_str!("../../ctests/snprintf/expected-time.txt");
/// What ctests/snprintf/fixedtime.c makes time() return.
const FIXED_NOW: i64 = 1_700_000_000;
const LABELS: &str = include_str!("../../ctests/snprintf/connlabel.conf");
const BUFSZ: usize = 8192;

fn ct_attr(name: &str) -> Attr {
    use Attr::*;
    match name {
        "ORIG_IPV4_SRC" => OrigIpv4Src,
        "ORIG_IPV4_DST" => OrigIpv4Dst,
        "REPL_IPV4_SRC" => ReplIpv4Src,
        "REPL_IPV4_DST" => ReplIpv4Dst,
        "ORIG_IPV6_SRC" => OrigIpv6Src,
        "ORIG_IPV6_DST" => OrigIpv6Dst,
        "REPL_IPV6_SRC" => ReplIpv6Src,
        "REPL_IPV6_DST" => ReplIpv6Dst,
        "ORIG_PORT_SRC" => OrigPortSrc,
        "ORIG_PORT_DST" => OrigPortDst,
        "REPL_PORT_SRC" => ReplPortSrc,
        "REPL_PORT_DST" => ReplPortDst,
        "ICMP_TYPE" => IcmpType,
        "ICMP_CODE" => IcmpCode,
        "ICMP_ID" => IcmpId,
        "ORIG_L3PROTO" => OrigL3Proto,
        "REPL_L3PROTO" => ReplL3Proto,
        "ORIG_L4PROTO" => OrigL4Proto,
        "REPL_L4PROTO" => ReplL4Proto,
        "TCP_STATE" => TcpState,
        "TIMEOUT" => Timeout,
        "MARK" => Mark,
        "ORIG_COUNTER_PACKETS" => OrigCounterPackets,
        "REPL_COUNTER_PACKETS" => ReplCounterPackets,
        "ORIG_COUNTER_BYTES" => OrigCounterBytes,
        "REPL_COUNTER_BYTES" => ReplCounterBytes,
        "USE" => Use,
        "ID" => Id,
        "STATUS" => Status,
        "SECMARK" => Secmark,
        "SCTP_STATE" => SctpState,
        "HELPER_NAME" => HelperName,
        "DCCP_STATE" => DccpState,
        "ZONE" => Zone,
        "SECCTX" => Secctx,
        "ORIG_ZONE" => OrigZone,
        "REPL_ZONE" => ReplZone,
        _ => panic!("unknown attribute {name}"),
    }
}

fn exp_attr(name: &str) -> ExpAttr {
    match name {
        "TIMEOUT" => ExpAttr::Timeout,
        "ZONE" => ExpAttr::Zone,
        "FLAGS" => ExpAttr::Flags,
        "HELPER_NAME" => ExpAttr::HelperName,
        "CLASS" => ExpAttr::Class,
        "MASTER" => ExpAttr::Master,
        "EXPECTED" => ExpAttr::Expected,
        "MASK" => ExpAttr::Mask,
        _ => panic!("unknown expectation attribute {name}"),
    }
}

/// Upstream's ICMP reply types (plus one; 0 = none).
fn icmp_reply(l3: u8, t: u8) -> u8 {
    let pairs: &[(u8, u8)] = if l3 == 2 {
        &[
            (8, 0),
            (0, 8),
            (13, 14),
            (14, 13),
            (15, 16),
            (16, 15),
            (17, 18),
            (18, 17),
        ]
    } else if l3 == 10 {
        &[(128, 129), (129, 128), (139, 140), (140, 139)]
    } else {
        &[]
    };
    pairs.iter().find(|(q, _)| *q == t).map_or(255, |(_, r)| *r)
}

fn num(s: &str) -> u64 {
    s.parse().unwrap_or_else(|_| panic!("bad number {s}"))
}

/// What the original's setters store for one attribute.
fn set_int(ct: &mut Conntrack, a: Attr, v: u64) {
    use Attr::*;
    match a {
        OrigL3Proto => ct.head.orig.l3protonum = v as u8,
        ReplL3Proto => ct.repl.l3protonum = v as u8,
        OrigL4Proto => ct.head.orig.protonum = v as u8,
        ReplL4Proto => ct.repl.protonum = v as u8,
        TcpState | SctpState | DccpState => ct.protoinfo.0[0] = v as u8,
        IcmpType => {
            ct.head.orig.l4dst.0[0] = v as u8;
            ct.repl.l4dst.0[0] = icmp_reply(ct.head.orig.l3protonum, v as u8);
        }
        IcmpCode => {
            ct.head.orig.l4dst.0[1] = v as u8;
            ct.repl.l4dst.0[1] = v as u8;
        }
        IcmpId => {
            ct.head.orig.l4src = v as u16;
            ct.repl.l4src = v as u16;
        }
        OrigPortSrc => ct.head.orig.l4src = v as u16,
        OrigPortDst => ct.head.orig.l4dst.set_port(v as u16),
        ReplPortSrc => ct.repl.l4src = v as u16,
        ReplPortDst => ct.repl.l4dst.set_port(v as u16),
        Zone => ct.zone = v as u16,
        OrigZone => ct.head.orig.zone = v as u16,
        ReplZone => ct.repl.zone = v as u16,
        Timeout => ct.timeout = v as u32,
        Mark => ct.mark = v as u32,
        Status => ct.status = v as u32,
        Secmark => ct.secmark = v as u32,
        Id => ct.id = v as u32,
        OrigIpv4Src => ct.head.orig.src.0[0] = v as u32,
        OrigIpv4Dst => ct.head.orig.dst.0[0] = v as u32,
        ReplIpv4Src => ct.repl.src.0[0] = v as u32,
        ReplIpv4Dst => ct.repl.dst.0[0] = v as u32,
        // The original's setters store nothing for these.
        Use | OrigCounterPackets | ReplCounterPackets | OrigCounterBytes | ReplCounterBytes => {}
        _ => panic!("no integer setter for {a:?}"),
    }
    ct.mark_set(a);
}

fn escape(out: &mut String, b: &[u8]) {
    for &c in b {
        match c {
            b'\\' => out.push_str("\\\\"),
            0x20..=0x7e => out.push(c as char),
            _ => {
                let _ = write!(out, "\\x{c:02x}");
            }
        }
    }
}

struct Replay {
    now: i64,
    ct: Conntrack,
    exp: Expect,
    map: LabelMap,
    full: Vec<u8>,
    out: Vec<String>,
}

impl Replay {
    fn call(&mut self, is_exp: bool, msg: u32, outt: u32, flags: u32, size: usize, map: bool) {
        let mut buf = vec![0x55u8; BUFSZ + 1];
        let clock = UtcClock { now: self.now };
        let r = if is_exp {
            snprintf_expect(&mut buf[..size], &self.exp, msg, outt, flags, &clock)
        } else {
            let m = map.then_some(&self.map);
            snprintf_conntrack(&mut buf[..size], &self.ct, msg, outt, flags, m, &clock)
        };
        let (ret, err) = match r {
            Ok(v) => (v, 0),
            Err(e) => (-1, e.errno()),
        };
        let mut line = if is_exp {
            format!("exp msg={msg} out={outt} flags={flags}")
        } else {
            format!("ct msg={msg} out={outt} flags={flags} map={}", map as u8)
        };
        let _ = write!(line, " size={size} ret={ret} errno={err} ");
        if size == BUFSZ {
            let n = if ret >= 0 {
                buf.iter()
                    .take(BUFSZ)
                    .position(|&c| c == 0)
                    .unwrap_or(BUFSZ)
            } else {
                0
            };
            self.full = buf[..n].to_vec();
            line.push('[');
            escape(&mut line, &buf[..n]);
        } else {
            let keep = size.saturating_sub(8).min(self.full.len());
            if buf[..keep] == self.full[..keep] {
                let _ = write!(line, "={keep}[");
                escape(&mut line, &buf[keep..=size]);
            } else {
                line.push('[');
                escape(&mut line, &buf[..=size]);
            }
        }
        line.push(']');
        self.out.push(line);
    }

    fn print(&mut self, is_exp: bool, tok: &[&str]) {
        let (msg, outt, flags) = (num(tok[1]) as u32, num(tok[2]) as u32, num(tok[3]) as u32);
        let maps: &[bool] = if is_exp { &[false] } else { &[false, true] };
        for &m in maps {
            self.call(is_exp, msg, outt, flags, BUFSZ, m);
            for t in &tok[4..] {
                let (range, step) = t.split_once('/').map_or((*t, 1), |(r, s)| (r, num(s)));
                let (lo, hi) = match range.split_once('-') {
                    Some((a, b)) => (num(a), num(b)),
                    None => (num(range), num(range)),
                };
                let mut s = lo;
                while s <= hi && (s as usize) < BUFSZ {
                    self.call(is_exp, msg, outt, flags, s as usize, m);
                    s += step;
                }
            }
        }
    }

    fn line(&mut self, line: &str) {
        let tok: Vec<&str> = line.split(' ').filter(|t| !t.is_empty()).collect();
        let ct = &mut self.ct;
        match (tok[0], tok.len()) {
            ("new", _) => *ct = Conntrack::new(),
            ("exp", _) => self.exp = Expect::new(),
            ("u8" | "u16" | "u32" | "u64", 3) => set_int(ct, ct_attr(tok[1]), num(tok[2])),
            ("port", 3) => set_int(ct, ct_attr(tok[1]), u64::from((num(tok[2]) as u16).to_be())),
            ("ip4", 3) => {
                let a: std::net::Ipv4Addr = tok[2].parse().unwrap();
                set_int(
                    ct,
                    ct_attr(tok[1]),
                    u64::from(u32::from_ne_bytes(a.octets())),
                );
            }
            ("ip6", 3) => {
                let a: std::net::Ipv6Addr = tok[2].parse().unwrap();
                let attr = ct_attr(tok[1]);
                let v = Addr::from_bytes(a.octets());
                match attr {
                    Attr::OrigIpv6Src => ct.head.orig.src = v,
                    Attr::OrigIpv6Dst => ct.head.orig.dst = v,
                    Attr::ReplIpv6Src => ct.repl.src = v,
                    Attr::ReplIpv6Dst => ct.repl.dst = v,
                    _ => panic!("not an IPv6 attribute"),
                }
                ct.mark_set(attr);
            }
            ("str", 3) => {
                let attr = ct_attr(tok[1]);
                if attr == Attr::HelperName {
                    let mut h = [0u8; HELPER_NAME_MAX];
                    let s = tok[2].as_bytes();
                    let n = s.len().min(HELPER_NAME_MAX - 1);
                    h[..n].copy_from_slice(&s[..n]);
                    ct.helper_name = h;
                }
                ct.mark_set(attr);
            }
            ("ts", 3) => {
                if tok[1] != "-" {
                    ct.timestamp.start = num(tok[1]);
                    ct.mark_set(Attr::TimestampStart);
                }
                if tok[2] != "-" {
                    ct.timestamp.stop = num(tok[2]);
                    ct.mark_set(Attr::TimestampStop);
                }
            }
            ("secctx", 2) => {
                let mut v = tok[1].as_bytes().to_vec();
                v.push(0);
                ct.secctx = Some(v.into_boxed_slice());
                ct.mark_set(Attr::Secctx);
            }
            ("counters", 4) => {
                let (d, p, b) = if tok[1] == "ORIG" {
                    (DIR_ORIG, Attr::OrigCounterPackets, Attr::OrigCounterBytes)
                } else {
                    (DIR_REPL, Attr::ReplCounterPackets, Attr::ReplCounterBytes)
                };
                ct.counters[d].packets = num(tok[2]);
                ct.counters[d].bytes = num(tok[3]);
                ct.mark_set(p);
                ct.mark_set(b);
            }
            ("use", 2) => {
                ct.use_ = num(tok[1]) as u32;
                ct.mark_set(Attr::Use);
            }
            ("labels", _) => {
                let mut b = Bitmask::new(num(tok[1]) as u32);
                for t in &tok[2..] {
                    b.set(num(t) as u32);
                }
                ct.connlabels = Some(Box::new(b));
                ct.mark_set(Attr::Connlabels);
            }
            ("xu16" | "xu32", 3) => {
                let a = exp_attr(tok[1]);
                let v = num(tok[2]);
                let e = &mut self.exp;
                match a {
                    ExpAttr::Timeout => e.timeout = v as u32,
                    ExpAttr::Zone => e.zone = v as u16,
                    ExpAttr::Flags => e.flags = v as u32,
                    ExpAttr::Class => e.class = v as u32,
                    _ => panic!("no integer setter"),
                }
                e.mark_set(a);
            }
            ("xstr", 3) => {
                let mut h = [0u8; HELPER_NAME_MAX];
                let s = tok[2].as_bytes();
                let n = s.len().min(HELPER_NAME_MAX - 1);
                h[..n].copy_from_slice(&s[..n]);
                self.exp.helper_name = h;
                self.exp.mark_set(exp_attr(tok[1]));
            }
            ("xct", 2) => {
                let a = exp_attr(tok[1]);
                let head = ct.head;
                match a {
                    ExpAttr::Master => self.exp.master = head,
                    ExpAttr::Expected => self.exp.expected = head,
                    ExpAttr::Mask => self.exp.mask = head,
                    _ => panic!("not a tuple attribute"),
                }
                self.exp.mark_set(a);
            }
            ("print", _) => self.print(false, &tok),
            ("xprint", _) => self.print(true, &tok),
            _ => panic!("unknown case line {line}"),
        }
    }
}

fn label_map() -> LabelMap {
    let mut names: Vec<Option<String>> = Vec::new();
    for l in LABELS.lines().filter(|l| !l.starts_with('#')) {
        let Some((bit, name)) = l.split_once(' ') else {
            continue;
        };
        let bit: usize = bit.parse().unwrap();
        if names.len() <= bit {
            names.resize(bit + 1, None);
        }
        names[bit] = Some(name.trim().to_string());
    }
    LabelMap { names }
}

fn replay(cases: &str, expected: &str, now: i64) {
    let mut r = Replay {
        now,
        ct: Conntrack::new(),
        exp: Expect::new(),
        map: label_map(),
        full: Vec::new(),
        out: Vec::new(),
    };
    for line in cases.lines() {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        r.out.push(format!("# {line}"));
        r.line(line);
    }
    let want: Vec<&str> = expected.lines().collect();
    let mut bad = 0;
    for (i, (got, want)) in r.out.iter().zip(want.iter()).enumerate() {
        if got != want {
            bad += 1;
            if bad <= 10 {
                eprintln!("line {}:\n got  {got}\n want {want}", i + 1);
            }
        }
    }
    assert_eq!(bad, 0, "{bad} lines differ from the original's output");
    assert_eq!(r.out.len(), want.len());
}

#[test]
fn matches_original_library() {
    replay(CASES, EXPECTED, 0);
}

#[test]
fn matches_original_library_at_fixed_time() {
    replay(TIME_CASES, TIME_EXPECTED, FIXED_NOW);
}
