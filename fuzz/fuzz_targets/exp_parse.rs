//! Expectation message parser: `expect::parse::message` on the input as a
//! whole message and `expect::parse::payload` on the bytes after the
//! headers, then every getter and the comparison on the result.
#![no_main]

use libfuzzer_sys::fuzz_target;
use netfilter_conntrack::expect::{compare, parse, ExpAttr, Expect};
use netfilter_conntrack::netlink::message::NFNL_HDRLEN;

fn touch(exp: &Expect) {
    for &a in ExpAttr::ALL {
        let _ = exp.get(a);
        let _ = exp.get_u8(a);
        let _ = exp.get_u16(a);
        let _ = exp.get_u32(a);
        let _ = exp.get_str(a);
        let _ = exp.get_tuple(a);
    }
    let other = exp.clone();
    for flags in [0, 1, 2, 4, 8, 0xf] {
        assert!(compare::cmp(exp, &other, flags));
        let _ = compare::cmp_orig(&exp.master, &other.expected, flags);
    }
}

fuzz_target!(|data: &[u8]| {
    let mut exp = Expect::new();
    if parse::message(data, &mut exp).is_ok() {
        touch(&exp);
    }
    let family = data.get(16).copied().unwrap_or(0);
    let attrs = data.get(NFNL_HDRLEN..).unwrap_or_default();
    let mut fresh = Expect::new();
    if parse::payload(attrs, family, &mut fresh).is_ok() {
        touch(&fresh);
    }
    let _ = parse::payload(attrs, family, &mut exp);
    touch(&exp);
});
