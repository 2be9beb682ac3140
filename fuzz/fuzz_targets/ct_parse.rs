//! Conntrack message parser: `conntrack::parse::message` on the input as a
//! whole nfnetlink message, and `conntrack::parse::payload` on the bytes
//! after the headers with the family byte the message would carry, into a
//! fresh object and again into the one already filled. After a parse, every
//! attribute getter and the comparison and copy helpers run on the result.
#![no_main]

use libfuzzer_sys::fuzz_target;
use netfilter_conntrack::conntrack::{compare, copy, parse, Attr, Conntrack};
use netfilter_conntrack::netlink::message::NFNL_HDRLEN;

fn touch(ct: &Conntrack) {
    for &a in Attr::ALL {
        let _ = ct.get(a);
        let _ = ct.get_u8(a);
        let _ = ct.get_u16(a);
        let _ = ct.get_u32(a);
        let _ = ct.get_u64(a);
    }
    let ids: Vec<u32> = (0..80).collect();
    let _ = ct.are_set(&ids);
    let mut other = Conntrack::new();
    for &a in Attr::ALL {
        copy::copy_attr(&mut other, ct, a);
    }
    let _ = compare::compare(ct, &other);
    for flags in [0, 1, 2, 4, 8, 0xf] {
        let _ = compare::cmp_flags(ct, &other, flags);
        let _ = compare::cmp_orig(ct, &other, flags);
    }
}

fuzz_target!(|data: &[u8]| {
    let mut ct = Conntrack::new();
    if parse::message(data, &mut ct).is_ok() {
        touch(&ct);
    }
    let family = data.get(16).copied().unwrap_or(0);
    let attrs = data.get(NFNL_HDRLEN..).unwrap_or_default();
    let mut fresh = Conntrack::new();
    if parse::payload(attrs, family, &mut fresh).is_ok() {
        touch(&fresh);
    }
    // Parsing over an object that already holds values (labels, secctx,
    // helper info are replaced, not merged).
    let _ = parse::payload(attrs, family, &mut ct);
    touch(&ct);
});
