//! Connection labels: the bitmask object and the label map read from
//! connlabel.conf (upstream src/conntrack/labels.c and api.c).
#![forbid(unsafe_code)]

/// A fixed-size set of bits (upstream `struct nfct_bitmask`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Bitmask {
    /// The bits, 32 to a word, bit 0 in word 0's least significant bit.
    pub words: Vec<u32>,
}
