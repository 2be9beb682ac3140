//! Connection labels: the bitmask object and the label map read from
//! connlabel.conf (upstream src/conntrack/labels.c and api.c).
#![forbid(unsafe_code)]

/// A fixed-size set of bits (upstream `struct nfct_bitmask`): room for
/// `maxbit + 1` bits rounded up to whole 32-bit words.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Bitmask {
    /// The bits, 32 to a word, bit 0 in word 0's least significant bit.
    pub words: Vec<u32>,
}

impl Bitmask {
    /// A cleared bitmask holding at least bits `0..=maxbit`.
    pub fn new(maxbit: u32) -> Bitmask {
        let words = (maxbit as usize / 32) + 1;
        Bitmask {
            words: vec![0; words],
        }
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
}

/// Label names by bit, as read from a connlabel.conf file.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LabelMap {
    /// `names[bit]` is the name of label `bit`, if the file named it.
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
}
