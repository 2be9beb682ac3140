//! Setting, reading and clearing the attributes of an expectation, with
//! the semantics of upstream's src/expect/setter.c, getter.c and the
//! attribute functions of src/expect/api.c.
//!
//! The C API moves values through untyped pointers, so the integer
//! accessors here reproduce what C's memory reinterpretation does: setting
//! a 32-bit value into the 16-bit zone keeps its first two bytes in memory,
//! and reading a 32-bit value from a string yields its first four bytes.
//! Where C would read past the value it was handed (a `u8` stored into a
//! tuple), the missing bytes are taken as zero.
#![forbid(unsafe_code)]

use super::object::{ExpAttr, Expect, EXPECTFN_MAX};
use crate::conntrack::object::{Addr, L4Dst, Tuple, TupleHead, HELPER_NAME_MAX, SET_WORDS};
use crate::{Error, Result};

/// How an attribute's value is stored, and so how the C API reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A [`TupleHead`]: C passes and gets a `struct nf_conntrack *`.
    Tuple,
    /// A host-order `u32`.
    U32,
    /// A host-order `u16`.
    U16,
    /// A NUL-terminated string in a field of `cap` bytes (NUL included).
    Str { cap: usize },
}

impl ExpAttr {
    /// How this attribute's value is stored.
    pub fn kind(self) -> Kind {
        match self {
            ExpAttr::Master | ExpAttr::Expected | ExpAttr::Mask | ExpAttr::NatTuple => Kind::Tuple,
            ExpAttr::Timeout | ExpAttr::Flags | ExpAttr::Class | ExpAttr::NatDir => Kind::U32,
            ExpAttr::Zone => Kind::U16,
            ExpAttr::HelperName => Kind::Str {
                cap: HELPER_NAME_MAX,
            },
            ExpAttr::Fn => Kind::Str { cap: EXPECTFN_MAX },
        }
    }

    /// The attribute with the C API id `id`; ids out of range (negative
    /// ones included, as C compares them unsigned) are `InvalidArgument`.
    pub fn from_c(id: i32) -> Result<ExpAttr> {
        u32::try_from(id)
            .ok()
            .and_then(ExpAttr::from_id)
            .ok_or(Error::InvalidArgument)
    }
}

/// A borrowed attribute value, pointing at the storage inside the object.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttrRef<'a> {
    Tuple(&'a TupleHead),
    U32(&'a u32),
    U16(&'a u16),
    /// The whole field, NUL-terminated within it.
    Str(&'a [u8]),
}

/// The bytes of `field` before its first NUL (all of it if there is none).
pub fn c_str(field: &[u8]) -> &[u8] {
    let end = field.iter().position(|&b| b == 0).unwrap_or(field.len());
    &field[..end]
}

/// Writes `s` up to its first NUL into `field`, truncated to leave room
/// for the terminating NUL. Bytes after the NUL keep their old values, as
/// with upstream's `snprintf(field, sizeof(field), "%s", s)`: they show
/// only when the field is read as an integer.
fn store_str(field: &mut [u8], s: &[u8]) {
    let s = c_str(s);
    let n = s.len().min(field.len().saturating_sub(1));
    field[..n].copy_from_slice(&s[..n]);
    if let Some(nul) = field.get_mut(n) {
        *nul = 0;
    }
}

/// The first `N` bytes of `bytes`, zero-padded.
fn prefix<const N: usize>(bytes: &[u8]) -> [u8; N] {
    let mut out = [0u8; N];
    let n = bytes.len().min(N);
    out[..n].copy_from_slice(&bytes[..n]);
    out
}

/// A tuple head whose memory starts with `bytes` and is zero after them.
/// Only used for values shorter than a tuple (the integer setters).
fn tuple_head_from_prefix(bytes: &[u8]) -> TupleHead {
    let word = u32::from_ne_bytes(prefix::<4>(bytes));
    TupleHead {
        orig: Tuple {
            src: Addr([word, 0, 0, 0]),
            dst: Addr::default(),
            l3protonum: 0,
            protonum: 0,
            zone: 0,
            l4src: 0,
            l4dst: L4Dst::default(),
        },
        set: [0; SET_WORDS],
    }
}

impl Expect {
    fn tuple_field(&mut self, attr: ExpAttr) -> Option<&mut TupleHead> {
        match attr {
            ExpAttr::Master => Some(&mut self.master),
            ExpAttr::Expected => Some(&mut self.expected),
            ExpAttr::Mask => Some(&mut self.mask),
            ExpAttr::NatTuple => Some(&mut self.nat),
            _ => None,
        }
    }

    /// Stores tuple attribute `attr` (master, expected, mask or NAT tuple)
    /// as a copy of `head`, the original tuple of a conntrack object and its
    /// set bits, and marks it set. Other attributes are `InvalidArgument`.
    pub fn set_tuple(&mut self, attr: ExpAttr, head: &TupleHead) -> Result<()> {
        let field = self.tuple_field(attr).ok_or(Error::InvalidArgument)?;
        *field = *head;
        self.mark_set(attr);
        Ok(())
    }

    /// Stores string attribute `attr` (helper name or expectation function)
    /// from `s`, read up to its first NUL and truncated to the field, and
    /// marks it set. Other attributes are `InvalidArgument`.
    pub fn set_str(&mut self, attr: ExpAttr, s: &[u8]) -> Result<()> {
        match attr {
            ExpAttr::HelperName => store_str(&mut self.helper_name, s),
            ExpAttr::Fn => store_str(&mut self.expectfn, s),
            _ => return Err(Error::InvalidArgument),
        }
        self.mark_set(attr);
        Ok(())
    }

    /// Stores `attr` from the in-memory image of a value, as C's setters do
    /// when handed a pointer to it: integer fields take the first bytes,
    /// strings the bytes before the first NUL, tuples a head that starts
    /// with the bytes. Missing bytes count as zero. Marks `attr` set.
    pub fn set_bytes(&mut self, attr: ExpAttr, bytes: &[u8]) {
        match attr.kind() {
            Kind::Tuple => {
                let head = tuple_head_from_prefix(bytes);
                if let Some(field) = self.tuple_field(attr) {
                    *field = head;
                }
            }
            Kind::U32 => {
                let v = u32::from_ne_bytes(prefix::<4>(bytes));
                match attr {
                    ExpAttr::Timeout => self.timeout = v,
                    ExpAttr::Flags => self.flags = v,
                    ExpAttr::Class => self.class = v,
                    _ => self.nat_dir = v,
                }
            }
            Kind::U16 => self.zone = u16::from_ne_bytes(prefix::<2>(bytes)),
            Kind::Str { .. } => {
                if attr == ExpAttr::HelperName {
                    store_str(&mut self.helper_name, bytes);
                } else {
                    store_str(&mut self.expectfn, bytes);
                }
            }
        }
        self.mark_set(attr);
    }

    /// Stores `v` into `attr` as `nfexp_set_attr_u32` does (see [`Expect::set_bytes`]).
    pub fn set_u32(&mut self, attr: ExpAttr, v: u32) {
        self.set_bytes(attr, &v.to_ne_bytes());
    }

    /// Stores `v` into `attr` as `nfexp_set_attr_u16` does.
    pub fn set_u16(&mut self, attr: ExpAttr, v: u16) {
        self.set_bytes(attr, &v.to_ne_bytes());
    }

    /// Stores `v` into `attr` as `nfexp_set_attr_u8` does.
    pub fn set_u8(&mut self, attr: ExpAttr, v: u8) {
        self.set_bytes(attr, &[v]);
    }

    /// The value of `attr`, pointing into the object; `NotSet` when unset.
    pub fn get(&self, attr: ExpAttr) -> Result<AttrRef<'_>> {
        if !self.is_set(attr) {
            return Err(Error::NotSet);
        }
        Ok(match attr {
            ExpAttr::Master => AttrRef::Tuple(&self.master),
            ExpAttr::Expected => AttrRef::Tuple(&self.expected),
            ExpAttr::Mask => AttrRef::Tuple(&self.mask),
            ExpAttr::NatTuple => AttrRef::Tuple(&self.nat),
            ExpAttr::Timeout => AttrRef::U32(&self.timeout),
            ExpAttr::Flags => AttrRef::U32(&self.flags),
            ExpAttr::Class => AttrRef::U32(&self.class),
            ExpAttr::NatDir => AttrRef::U32(&self.nat_dir),
            ExpAttr::Zone => AttrRef::U16(&self.zone),
            ExpAttr::HelperName => AttrRef::Str(&self.helper_name),
            ExpAttr::Fn => AttrRef::Str(&self.expectfn),
        })
    }

    /// Tuple attribute `attr`; `NotSet` when unset, `InvalidArgument` when
    /// `attr` is not a tuple.
    pub fn get_tuple(&self, attr: ExpAttr) -> Result<&TupleHead> {
        match self.get(attr)? {
            AttrRef::Tuple(t) => Ok(t),
            _ => Err(Error::InvalidArgument),
        }
    }

    /// String attribute `attr` without its NUL; `NotSet` when unset,
    /// `InvalidArgument` when `attr` is not a string.
    pub fn get_str(&self, attr: ExpAttr) -> Result<&[u8]> {
        match self.get(attr)? {
            AttrRef::Str(s) => Ok(c_str(s)),
            _ => Err(Error::InvalidArgument),
        }
    }

    /// The first four bytes of `attr`'s storage as C reads them through a
    /// `uint32_t *`. The zone is followed by structure padding, which is
    /// zero in every object this library makes.
    fn first_bytes(&self, attr: ExpAttr) -> Result<[u8; 4]> {
        Ok(match self.get(attr)? {
            AttrRef::Tuple(t) => t.orig.src.0[0].to_ne_bytes(),
            AttrRef::U32(v) => v.to_ne_bytes(),
            AttrRef::U16(v) => prefix(&v.to_ne_bytes()),
            AttrRef::Str(s) => prefix(s),
        })
    }

    /// `attr` read as a `u32`, like `nfexp_get_attr_u32`; `NotSet` when unset.
    pub fn get_u32(&self, attr: ExpAttr) -> Result<u32> {
        self.first_bytes(attr).map(u32::from_ne_bytes)
    }

    /// `attr` read as a `u16`, like `nfexp_get_attr_u16`; `NotSet` when unset.
    pub fn get_u16(&self, attr: ExpAttr) -> Result<u16> {
        self.first_bytes(attr)
            .map(|b| u16::from_ne_bytes([b[0], b[1]]))
    }

    /// `attr` read as a `u8`, like `nfexp_get_attr_u8`; `NotSet` when unset.
    pub fn get_u8(&self, attr: ExpAttr) -> Result<u8> {
        self.first_bytes(attr).map(|b| b[0])
    }

    /// Marks `attr` unset. The stored value stays, as upstream; only the
    /// set bit decides what the getters report.
    pub fn unset(&mut self, attr: ExpAttr) {
        self.mark_unset(attr);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn head(src: u32, proto: u8) -> TupleHead {
        let mut h = TupleHead::default();
        h.orig.src.0[0] = src;
        h.orig.l3protonum = 2;
        h.orig.protonum = proto;
        h.mark(15); // ATTR_ORIG_L3PROTO
        h.mark(17); // ATTR_ORIG_L4PROTO
        h
    }

    #[test]
    fn from_c_rejects_out_of_range() {
        assert_eq!(ExpAttr::from_c(0), Ok(ExpAttr::Master));
        assert_eq!(ExpAttr::from_c(10), Ok(ExpAttr::Fn));
        assert_eq!(ExpAttr::from_c(11), Err(Error::InvalidArgument));
        assert_eq!(ExpAttr::from_c(-1), Err(Error::InvalidArgument));
        assert_eq!(ExpAttr::from_c(i32::MIN), Err(Error::InvalidArgument));
    }

    #[test]
    fn unset_attributes_are_not_readable() {
        let e = Expect::new();
        for &a in ExpAttr::ALL {
            assert!(!e.is_set(a));
            assert_eq!(e.get(a), Err(Error::NotSet));
            assert_eq!(e.get_u32(a), Err(Error::NotSet));
            assert_eq!(e.get_u16(a), Err(Error::NotSet));
            assert_eq!(e.get_u8(a), Err(Error::NotSet));
        }
    }

    #[test]
    fn integers_round_trip() {
        let mut e = Expect::new();
        e.set_u32(ExpAttr::Timeout, 300);
        e.set_u32(ExpAttr::Flags, 5);
        e.set_u32(ExpAttr::Class, 7);
        e.set_u32(ExpAttr::NatDir, 1);
        e.set_u16(ExpAttr::Zone, 0xbeef);
        assert_eq!(e.get_u32(ExpAttr::Timeout), Ok(300));
        assert_eq!(e.get_u32(ExpAttr::Flags), Ok(5));
        assert_eq!(e.get_u32(ExpAttr::Class), Ok(7));
        assert_eq!(e.get_u32(ExpAttr::NatDir), Ok(1));
        assert_eq!(e.get_u16(ExpAttr::Zone), Ok(0xbeef));
        assert_eq!(e.get(ExpAttr::Zone), Ok(AttrRef::U16(&0xbeef)));
        assert_eq!(e.timeout, 300);
        assert_eq!(e.zone, 0xbeef);
    }

    #[test]
    fn integer_widths_follow_memory_layout() {
        let mut e = Expect::new();
        // A 32-bit value stored into the 16-bit zone keeps its first bytes.
        e.set_u32(ExpAttr::Zone, 0x1234_5678);
        assert_eq!(e.zone, u16::from_ne_bytes([0x78, 0x56]));
        // The zone read as 32 bits includes the (zero) padding after it.
        assert_eq!(e.get_u32(ExpAttr::Zone), Ok(u32::from(e.zone)));
        // A u8 into a u32 field is zero-extended.
        e.set_u8(ExpAttr::Timeout, 0xff);
        assert_eq!(e.timeout, 0xff);
        e.set_u32(ExpAttr::Timeout, 0x0102_0304);
        assert_eq!(e.get_u8(ExpAttr::Timeout), Ok(0x04));
        assert_eq!(e.get_u16(ExpAttr::Timeout), Ok(0x0304));
    }

    #[test]
    fn strings_are_truncated_and_terminated() {
        let mut e = Expect::new();
        e.set_str(ExpAttr::HelperName, b"ftp\0junk").unwrap();
        assert_eq!(e.get_str(ExpAttr::HelperName), Ok(&b"ftp"[..]));
        e.set_str(ExpAttr::HelperName, b"0123456789abcdefghij")
            .unwrap();
        assert_eq!(e.get_str(ExpAttr::HelperName), Ok(&b"0123456789abcde"[..]));
        assert_eq!(e.helper_name[HELPER_NAME_MAX - 1], 0);
        // A shorter name after a longer one overwrites only its own bytes.
        e.set_str(ExpAttr::HelperName, b"sip").unwrap();
        assert_eq!(&e.helper_name[..5], b"sip\x004");
        assert_eq!(e.get_str(ExpAttr::HelperName), Ok(&b"sip"[..]));

        let long = [b'x'; 40];
        e.set_str(ExpAttr::Fn, &long).unwrap();
        assert_eq!(e.get_str(ExpAttr::Fn).unwrap().len(), EXPECTFN_MAX - 1);
        e.set_str(ExpAttr::Fn, b"").unwrap();
        assert!(e.is_set(ExpAttr::Fn));
        assert_eq!(e.get_str(ExpAttr::Fn), Ok(&b""[..]));

        assert_eq!(
            e.set_str(ExpAttr::Timeout, b"x"),
            Err(Error::InvalidArgument)
        );
    }

    #[test]
    fn strings_read_as_integers() {
        let mut e = Expect::new();
        e.set_str(ExpAttr::HelperName, b"ftp").unwrap();
        assert_eq!(
            e.get_u32(ExpAttr::HelperName),
            Ok(u32::from_ne_bytes(*b"ftp\0"))
        );
        assert_eq!(e.get_u8(ExpAttr::HelperName), Ok(b'f'));
        // An integer into a string field: its bytes up to the first NUL.
        e.set_u32(ExpAttr::Fn, u32::from_ne_bytes(*b"ab\0c"));
        assert_eq!(e.get_str(ExpAttr::Fn), Ok(&b"ab"[..]));
        e.set_u8(ExpAttr::Fn, 0);
        assert_eq!(e.get_str(ExpAttr::Fn), Ok(&b""[..]));
    }

    #[test]
    fn tuples_copy_the_whole_head() {
        let mut e = Expect::new();
        let h = head(0x0100_007f, 6);
        e.set_tuple(ExpAttr::Master, &h).unwrap();
        e.set_tuple(ExpAttr::NatTuple, &head(1, 17)).unwrap();
        assert_eq!(e.get_tuple(ExpAttr::Master), Ok(&h));
        assert_eq!(e.master.set, h.set);
        assert_eq!(e.get_u32(ExpAttr::Master), Ok(0x0100_007f));
        assert_eq!(e.get_tuple(ExpAttr::NatTuple).unwrap().orig.protonum, 17);
        assert!(!e.is_set(ExpAttr::Expected));
        assert_eq!(e.set_tuple(ExpAttr::Zone, &h), Err(Error::InvalidArgument));
        assert_eq!(e.get_tuple(ExpAttr::Zone), Err(Error::NotSet));
    }

    #[test]
    fn integers_into_tuples_fill_the_first_word() {
        let mut e = Expect::new();
        e.set_tuple(ExpAttr::Mask, &head(9, 6)).unwrap();
        e.set_u32(ExpAttr::Mask, 0xffff_ffff);
        assert_eq!(e.mask.orig.src.0, [0xffff_ffff, 0, 0, 0]);
        assert_eq!(e.mask.set, [0; SET_WORDS]);
        e.set_u8(ExpAttr::Mask, 0x11);
        assert_eq!(e.get_u32(ExpAttr::Mask), Ok(0x11));
    }

    #[test]
    fn unset_keeps_value_but_hides_it() {
        let mut e = Expect::new();
        e.set_u32(ExpAttr::Timeout, 10);
        e.unset(ExpAttr::Timeout);
        assert!(!e.is_set(ExpAttr::Timeout));
        assert_eq!(e.get_u32(ExpAttr::Timeout), Err(Error::NotSet));
        assert_eq!(e.timeout, 10);
        e.set_u32(ExpAttr::Timeout, 11);
        assert_eq!(e.get_u32(ExpAttr::Timeout), Ok(11));
    }

    #[test]
    fn kinds() {
        assert_eq!(ExpAttr::Master.kind(), Kind::Tuple);
        assert_eq!(ExpAttr::Zone.kind(), Kind::U16);
        assert_eq!(ExpAttr::NatDir.kind(), Kind::U32);
        assert_eq!(ExpAttr::Fn.kind(), Kind::Str { cap: EXPECTFN_MAX });
        assert_eq!(
            ExpAttr::HelperName.kind(),
            Kind::Str {
                cap: HELPER_NAME_MAX
            }
        );
    }
}
