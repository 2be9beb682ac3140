//! The expectation object, laid out like upstream's `struct nf_expect`
//! (include/internal/object.h), and its attribute ids.
//!
//! The master, expected, mask and NAT tuples are [`TupleHead`]s: the C API
//! hands out pointers to them as `struct nf_conntrack *` holding only the
//! original tuple, and takes conntrack objects whose head it copies.
#![forbid(unsafe_code)]

use crate::conntrack::object::{TupleHead, HELPER_NAME_MAX};

/// Longest expectation function name, including the NUL (`__NFCT_EXPECTFN_MAX`).
pub const EXPECTFN_MAX: usize = 24;

/// Expectation attribute ids: the numbers of `enum nf_expect_attr`.
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ExpAttr {
    Master = 0,
    Expected = 1,
    Mask = 2,
    Timeout = 3,
    Zone = 4,
    Flags = 5,
    HelperName = 6,
    Class = 7,
    NatTuple = 8,
    NatDir = 9,
    Fn = 10,
}

impl ExpAttr {
    /// Every attribute, in id order.
    pub const ALL: &'static [ExpAttr] = &[
        ExpAttr::Master,
        ExpAttr::Expected,
        ExpAttr::Mask,
        ExpAttr::Timeout,
        ExpAttr::Zone,
        ExpAttr::Flags,
        ExpAttr::HelperName,
        ExpAttr::Class,
        ExpAttr::NatTuple,
        ExpAttr::NatDir,
        ExpAttr::Fn,
    ];
    /// Number of attributes (`ATTR_EXP_MAX`).
    pub const COUNT: usize = Self::ALL.len();

    /// The attribute with this numeric id, if there is one.
    pub fn from_id(id: u32) -> Option<ExpAttr> {
        Self::ALL.get(usize::try_from(id).ok()?).copied()
    }

    /// The numeric id of the C API.
    pub fn id(self) -> u32 {
        self as u32
    }
}

/// An expectation, set or unset attribute by attribute.
#[repr(C)]
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Expect {
    pub master: TupleHead,
    pub expected: TupleHead,
    pub mask: TupleHead,
    pub nat: TupleHead,

    pub timeout: u32,
    pub id: u32,
    pub zone: u16,
    pub flags: u32,
    pub class: u32,
    /// NUL-terminated helper name.
    pub helper_name: [u8; HELPER_NAME_MAX],
    pub nat_dir: u32,
    /// NUL-terminated expectation function name.
    pub expectfn: [u8; EXPECTFN_MAX],

    pub set: [u32; 1],
}

impl Expect {
    /// An empty expectation.
    pub fn new() -> Expect {
        Expect::default()
    }

    /// Whether `attr` is set.
    pub fn is_set(&self, attr: ExpAttr) -> bool {
        self.set[0] & (1 << attr.id()) != 0
    }

    /// Marks `attr` as set.
    pub fn mark_set(&mut self, attr: ExpAttr) {
        self.set[0] |= 1 << attr.id();
    }

    /// Marks `attr` as unset.
    pub fn mark_unset(&mut self, attr: ExpAttr) {
        self.set[0] &= !(1 << attr.id());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids() {
        assert_eq!(ExpAttr::COUNT, 11);
        for (i, a) in ExpAttr::ALL.iter().enumerate() {
            assert_eq!(a.id() as usize, i);
        }
        assert_eq!(ExpAttr::from_id(11), None);
    }
}
