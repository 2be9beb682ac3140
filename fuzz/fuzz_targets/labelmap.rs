//! The connlabel.conf reader `LabelMap::parse`, then lookups of every
//! named bit by name and by number, which must agree.
#![no_main]

use libfuzzer_sys::fuzz_target;
use netfilter_conntrack::labels::{LabelMap, MAX_LABEL_BITS};

fuzz_target!(|data: &[u8]| {
    let Ok(map) = LabelMap::parse(data) else {
        return;
    };
    assert!(map.bit_count() <= MAX_LABEL_BITS);
    for bit in 0..map.bit_count() + 2 {
        if let Some(name) = map.name(bit) {
            assert_eq!(map.bit(name), Some(bit), "{name:?}");
        }
    }
    let _ = map.bit("");
    let _ = map.name(u32::MAX);
});
