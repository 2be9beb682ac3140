//! Build → parse round trip: an object a parser accepted (conntrack or
//! expectation, by the first byte) is encoded again with `put_attrs` and
//! parsed back, twice. The first trip may change the object (see
//! fuzz/README.md for what the encoders leave out or add); from then on
//! encoding and decoding must be a fixed point: the second encoding equals
//! the first, and parsing it gives the same object (expectations: see
//! `expect` below).
#![no_main]

use libfuzzer_sys::fuzz_target;
use netfilter_conntrack::conntrack::{build as ctbuild, parse as ctparse, Conntrack};
use netfilter_conntrack::expect::{build as expbuild, parse as expparse, Expect};
use netfilter_conntrack::netlink::message;

fn conntrack(msg: &[u8]) {
    let mut ct = Conntrack::new();
    if ctparse::message(msg, &mut ct).is_err() {
        return;
    }
    let Ok((_, nfg, _)) = message::parse_nfnl(msg) else {
        return;
    };
    let mut b1 = Vec::new();
    if ctbuild::put_attrs(&ct, &mut b1).is_err() {
        return;
    }
    let mut ct1 = Conntrack::new();
    ctparse::payload(&b1, nfg.family, &mut ct1).expect("our own encoding parses");
    let mut b2 = Vec::new();
    ctbuild::put_attrs(&ct1, &mut b2).expect("a parsed encoding encodes");
    let mut ct2 = Conntrack::new();
    ctparse::payload(&b2, nfg.family, &mut ct2).expect("our own encoding parses");
    assert_eq!(b1, b2, "encoding is not a fixed point");
    assert_eq!(ct1, ct2, "decoding is not a fixed point");
}

/// Expectations: upstream's parser stores the message family crosswise
/// (the master nest sets the expected tuple's family, the expected nest the
/// mask's, the mask nest the master's), and the encoder skips a tuple
/// without an IP family. A message lacking one of the three nests therefore
/// loses a tuple on each trip until none is left to lose: the encoding must
/// settle within four trips, each one a subset of the one before.
fn expect(msg: &[u8]) {
    let mut exp = Expect::new();
    if expparse::message(msg, &mut exp).is_err() {
        return;
    }
    let Ok((_, nfg, _)) = message::parse_nfnl(msg) else {
        return;
    };
    let mut prev = Vec::new();
    if expbuild::put_attrs(&exp, &mut prev).is_err() {
        return;
    }
    for _ in 0..4 {
        let mut e = Expect::new();
        expparse::payload(&prev, nfg.family, &mut e).expect("our own encoding parses");
        let mut next = Vec::new();
        expbuild::put_attrs(&e, &mut next).expect("a parsed encoding encodes");
        if next == prev {
            let mut again = Expect::new();
            expparse::payload(&next, nfg.family, &mut again).unwrap();
            assert_eq!(again, e, "decoding is not a fixed point");
            return;
        }
        assert!(next.len() < prev.len(), "a trip added attributes");
        prev = next;
    }
    panic!("encoding did not settle within four trips");
}

fuzz_target!(|data: &[u8]| {
    let Some((&sel, msg)) = data.split_first() else {
        return;
    };
    if sel & 1 == 0 {
        conntrack(msg);
    } else {
        expect(msg);
    }
});
