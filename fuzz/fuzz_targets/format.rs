//! Formatting of whatever the parsers accept: a conntrack or expectation
//! parsed from the input (first byte: which parser and which options) is
//! formatted with `format::snprintf_conntrack` / `snprintf_expect` in every
//! output type (valid or not) and message type, with each flag alone, none
//! and all, with and without a label map. Then, for the combination the
//! input picks (any flag set), it is formatted into buffers of every size
//! from 0 to two past the text's length (one input in four; the others
//! skip sizes in the middle). Checked at every size: nothing is written
//! past the given size, the return value is the one of the full buffer once
//! the text fits (before that it depends on the size, as upstream's does),
//! and the text is a NUL-terminated prefix of the full text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use netfilter_conntrack::conntrack::{parse as ctparse, Conntrack};
use netfilter_conntrack::expect::{parse as expparse, Expect};
use netfilter_conntrack::format::{self, UtcClock};
use netfilter_conntrack::labels::LabelMap;
use netfilter_conntrack::Result;

const CANARY: u8 = 0xa5;
const MSG_TYPES: [u32; 5] = [0, format::T_NEW, format::T_UPDATE, format::T_DESTROY, 7];
const OUT_TYPES: [u32; 3] = [format::O_DEFAULT, format::O_XML, 2];

enum Obj {
    Ct(Conntrack),
    Exp(Expect),
}

fn fmt(
    obj: &Obj,
    buf: &mut [u8],
    msg: u32,
    out: u32,
    flags: u32,
    map: Option<&LabelMap>,
) -> Result<i32> {
    let clock = UtcClock { now: 1_700_000_000 };
    match obj {
        Obj::Ct(ct) => format::snprintf_conntrack(buf, ct, msg, out, flags, map, &clock),
        Obj::Exp(exp) => format::snprintf_expect(buf, exp, msg, out, flags, &clock),
    }
}

/// Formats into a buffer of `size` bytes followed by canaries; checks the
/// canaries and returns the result and the buffer.
fn at_size(
    obj: &Obj,
    size: usize,
    o: (u32, u32, u32),
    map: Option<&LabelMap>,
) -> (Result<i32>, Vec<u8>) {
    let mut v = vec![CANARY; size + 16];
    let r = fmt(obj, &mut v[..size], o.0, o.1, o.2, map);
    assert!(
        v[size..].iter().all(|&b| b == CANARY),
        "written past {size} bytes"
    );
    v.truncate(size);
    (r, v)
}

fuzz_target!(|data: &[u8]| {
    let Some((&sel, msg)) = data.split_first() else {
        return;
    };
    let obj = if sel & 1 == 0 {
        let mut ct = Conntrack::new();
        if ctparse::message(msg, &mut ct).is_err() {
            return;
        }
        Obj::Ct(ct)
    } else {
        let mut exp = Expect::new();
        if expparse::message(msg, &mut exp).is_err() {
            return;
        }
        Obj::Exp(exp)
    };
    let map =
        LabelMap::parse(b"0 zero\n1 one\n5 five\n31 w31\n32 w32\n95 ninety-five\n127 last\n").ok();
    let map = if sel & 2 != 0 { map.as_ref() } else { None };

    let mut big = vec![0u8; 16384];
    for msg_type in MSG_TYPES {
        for out in OUT_TYPES {
            // Each flag alone, none, all, and all plus unknown bits.
            for flags in [0, 1, 2, 4, 8, 0xf, u32::MAX] {
                let _ = fmt(&obj, &mut big, msg_type, out, flags, map);
            }
        }
    }

    let o = (
        MSG_TYPES[usize::from(sel >> 2) % MSG_TYPES.len()],
        OUT_TYPES[usize::from(sel >> 5) % OUT_TYPES.len()],
        u32::from(msg.get(20).copied().unwrap_or(0)) & 0x1f,
    );
    let (full, text) = at_size(&obj, big.len(), o, map);
    let Ok(ret) = full else {
        // An unknown output type fails the same at every size.
        for size in [0, 1, 64] {
            assert_eq!(at_size(&obj, size, o, map).0, full);
        }
        return;
    };
    if ret < 0 {
        // Upstream's -1 (a protocol unset): what was written up to there
        // stays; the result is the same at every size.
        for size in 1..=text.len().min(512) {
            assert_eq!(at_size(&obj, size, o, map).0, full, "size {size}");
        }
        return;
    }
    let len = text
        .iter()
        .position(|&b| b == 0)
        .expect("full text is NUL-terminated");
    assert_eq!(ret as usize, len, "return value is the text length");
    // Every size for one input in four; for the others every size up to
    // 64 and around the end of the text, and a stride in between, which
    // keeps the target fast enough to explore.
    let every = data.len() % 4 == 0;
    let stride = if every { 1 } else { (len / 32).max(1) };
    for size in (0..=len + 2).filter(|&s| every || s <= 64 || s + 8 >= len || s % stride == 0) {
        let (r, v) = at_size(&obj, size, o, map);
        if size == 0 {
            continue;
        }
        // Until the text fits with a byte to spare, upstream's return
        // value depends on the buffer size (its XML port helpers return
        // what fit; the expectation form drops its trailing blank only
        // when the blank was written): checked against the original.
        if size > len + 1 {
            assert_eq!(r, full, "size {size}");
        } else {
            assert!(matches!(r, Ok(n) if n >= 0), "size {size}: {r:?}");
        }
        let n = v.iter().position(|&b| b == 0).expect("NUL-terminated");
        assert!(n < size);
        assert_eq!(
            &v[..n],
            &text[..n],
            "size {size}: not a prefix of the full text"
        );
        if size > len {
            assert_eq!(n, len);
        }
    }
});
