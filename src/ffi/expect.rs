//! The expectation object functions of the C API: allocation, attribute
//! access and comparison (upstream src/expect/api.c).
//!
//! The master, expected, mask and NAT-tuple attributes travel as
//! `struct nf_conntrack *`: setting one copies the tuple head at the start
//! of the object pointed to, getting one returns a pointer to the head
//! stored inside the expectation.

use std::ffi::{c_char, c_int, c_uint, c_void};
use std::mem::size_of;
use std::ptr;

use super::abi::api::{nf_expect, ExpAttrId};
use super::boundary::{self, expect, expect_into_raw, expect_mut, fail};
use crate::conntrack::object::TupleHead;
use crate::expect::attr::{AttrRef, Kind};
use crate::expect::{compare, ExpAttr, Expect};
use crate::Error;

/// Allocates an empty expectation: no attribute set. Returns NULL on
/// allocation failure. The caller owns the object and frees it with
/// `nfexp_destroy`.
#[no_mangle]
pub extern "C" fn nfexp_new() -> *mut nf_expect {
    expect_into_raw(Box::new(Expect::new()))
}

/// Frees an expectation made by `nfexp_new` or `nfexp_clone`. NULL is
/// ignored.
///
/// # Safety
/// `exp` is NULL or an object from `nfexp_new`/`nfexp_clone` not yet
/// destroyed; it must not be used afterwards.
#[no_mangle]
pub unsafe extern "C" fn nfexp_destroy(exp: *mut nf_expect) {
    if exp.is_null() {
        return;
    }
    // SAFETY: per the contract, `exp` came from Box::into_raw of an Expect
    // and ownership comes back here exactly once.
    drop(unsafe { Box::from_raw(exp.cast::<Expect>()) });
}

/// Returns the size of an expectation object. Returns 0 with errno EINVAL
/// for NULL (upstream asserts).
///
/// # Safety
/// `exp` is NULL or points to a live expectation.
#[no_mangle]
pub unsafe extern "C" fn nfexp_sizeof(exp: *const nf_expect) -> usize {
    // SAFETY: per the contract above.
    match unsafe { expect(exp) } {
        Some(_) => size_of::<Expect>(),
        None => fail(Error::InvalidArgument, 0),
    }
}

/// Returns the size of an expectation object, for callers that allocate
/// room for one themselves (zeroed memory of this size is an empty object).
#[no_mangle]
pub extern "C" fn nfexp_maxsize() -> usize {
    size_of::<Expect>()
}

/// Returns a newly allocated copy of `exp`, owned by the caller (free it
/// with `nfexp_destroy`). Returns NULL with errno EINVAL for NULL.
///
/// # Safety
/// `exp` is NULL or points to a live expectation.
#[no_mangle]
pub unsafe extern "C" fn nfexp_clone(exp: *const nf_expect) -> *mut nf_expect {
    // SAFETY: per the contract above.
    match unsafe { expect(exp) } {
        Some(e) => expect_into_raw(Box::new(e.clone())),
        None => fail(Error::InvalidArgument, ptr::null_mut()),
    }
}

/// Compares two expectations: returns 1 when they match under `flags`
/// (`NFCT_CMP_MASK`, `NFCT_CMP_STRICT`; the timeout is never compared),
/// 0 otherwise. Returns 0 with errno EINVAL when either is NULL (upstream
/// asserts).
///
/// # Safety
/// `exp1` and `exp2` are NULL or point to live expectations.
#[no_mangle]
pub unsafe extern "C" fn nfexp_cmp(
    exp1: *const nf_expect,
    exp2: *const nf_expect,
    flags: c_uint,
) -> c_int {
    // SAFETY: per the contract above.
    let (a, b) = unsafe { (expect(exp1), expect(exp2)) };
    match (a, b) {
        (Some(a), Some(b)) => c_int::from(compare::cmp(a, b, flags)),
        _ => fail(Error::InvalidArgument, 0),
    }
}

/// A value read from C before the object is borrowed mutably, so that
/// `value` may point into the very expectation being changed.
enum Owned {
    Tuple(TupleHead),
    Bytes([u8; 4]),
    Str(Vec<u8>),
}

/// Reads the value of an attribute of kind `kind` from `value`.
///
/// # Safety
/// `value` is non-NULL and points to what `nfexp_set_attr` documents for
/// that kind.
unsafe fn read_value(kind: Kind, value: *const c_void) -> Owned {
    match kind {
        // SAFETY: the caller passes a conntrack object or a tuple head
        // from nfexp_get_attr; both start with a TupleHead, whose fields
        // are plain integers valid for any bits. It may be unaligned.
        Kind::Tuple => Owned::Tuple(unsafe { value.cast::<TupleHead>().read_unaligned() }),
        // SAFETY: the caller passes a uint32_t.
        Kind::U32 => Owned::Bytes(unsafe { value.cast::<[u8; 4]>().read_unaligned() }),
        Kind::U16 => {
            // SAFETY: the caller passes a uint16_t.
            let v = unsafe { value.cast::<[u8; 2]>().read_unaligned() };
            Owned::Bytes([v[0], v[1], 0, 0])
        }
        Kind::Str { cap } => {
            let p = value.cast::<u8>();
            let mut s = Vec::with_capacity(cap);
            // Only the bytes that can be kept are read: up to the NUL or
            // one short of the field.
            for i in 0..cap.saturating_sub(1) {
                // SAFETY: the caller passes a NUL-terminated string, and we
                // stop at its NUL, so p + i is within it.
                let c = unsafe { p.add(i).read() };
                if c == 0 {
                    break;
                }
                s.push(c);
            }
            Owned::Str(s)
        }
    }
}

/// Sets attribute `type` of `exp` from `value` and marks it set:
/// `ATTR_EXP_MASTER`, `_EXPECTED`, `_MASK` and `_NAT_TUPLE` take a
/// `struct nf_conntrack *` (its original tuple is copied, with the set
/// bits of that tuple); `_TIMEOUT`, `_FLAGS`, `_CLASS`, `_NAT_DIR` a
/// `uint32_t *`; `_ZONE` a `uint16_t *`; `_HELPER_NAME` and `_FN` a string,
/// truncated to 15 and 23 bytes. Ids out of range are ignored, as upstream;
/// NULL `exp` or `value` does nothing (upstream asserts).
///
/// # Safety
/// `exp` is NULL or points to a live expectation; `value` is NULL or
/// points to a value of the type above.
#[no_mangle]
pub unsafe extern "C" fn nfexp_set_attr(
    exp: *mut nf_expect,
    type_: ExpAttrId,
    value: *const c_void,
) {
    // Upstream ignores type >= ATTR_EXP_MAX without setting errno.
    let Ok(attr) = ExpAttr::from_c(type_.0) else {
        return;
    };
    if value.is_null() {
        return;
    }
    // SAFETY: `value` is non-NULL and of the type the contract names.
    let owned = unsafe { read_value(attr.kind(), value) };
    // SAFETY: per the contract; the value is already copied out, so this
    // is the only live borrow even if `value` pointed into `exp`.
    let Some(e) = (unsafe { expect_mut(exp) }) else {
        return;
    };
    match owned {
        Owned::Tuple(head) => {
            let _ = e.set_tuple(attr, &head);
        }
        Owned::Bytes(b) => e.set_bytes(attr, &b),
        Owned::Str(s) => {
            let _ = e.set_str(attr, &s);
        }
    }
}

/// Sets attribute `type` from an 8-bit value, as `nfexp_set_attr` given a
/// pointer to it (wider fields are zero-extended). NULL `exp` does nothing.
///
/// # Safety
/// `exp` is NULL or points to a live expectation.
#[no_mangle]
pub unsafe extern "C" fn nfexp_set_attr_u8(exp: *mut nf_expect, type_: ExpAttrId, value: u8) {
    // SAFETY: per the contract above.
    if let (Some(e), Ok(attr)) = (unsafe { expect_mut(exp) }, ExpAttr::from_c(type_.0)) {
        e.set_u8(attr, value);
    }
}

/// Sets attribute `type` from a 16-bit value, as `nfexp_set_attr` given a
/// pointer to it. NULL `exp` does nothing.
///
/// # Safety
/// `exp` is NULL or points to a live expectation.
#[no_mangle]
pub unsafe extern "C" fn nfexp_set_attr_u16(exp: *mut nf_expect, type_: ExpAttrId, value: u16) {
    // SAFETY: per the contract above.
    if let (Some(e), Ok(attr)) = (unsafe { expect_mut(exp) }, ExpAttr::from_c(type_.0)) {
        e.set_u16(attr, value);
    }
}

/// Sets attribute `type` from a 32-bit value, as `nfexp_set_attr` given a
/// pointer to it (the 16-bit zone keeps the low half). NULL `exp` does
/// nothing.
///
/// # Safety
/// `exp` is NULL or points to a live expectation.
#[no_mangle]
pub unsafe extern "C" fn nfexp_set_attr_u32(exp: *mut nf_expect, type_: ExpAttrId, value: u32) {
    // SAFETY: per the contract above.
    if let (Some(e), Ok(attr)) = (unsafe { expect_mut(exp) }, ExpAttr::from_c(type_.0)) {
        e.set_u32(attr, value);
    }
}

/// Returns a pointer to the value of attribute `type` inside `exp`, valid
/// until `exp` changes or is freed. The tuple attributes point to a tuple
/// head that may be read as a `struct nf_conntrack *` holding only the
/// original tuple. Returns NULL with errno EINVAL when `type` is out of
/// range or `exp` is NULL, and with ENODATA when the attribute is not set.
///
/// # Safety
/// `exp` is NULL or points to a live expectation.
#[no_mangle]
pub unsafe extern "C" fn nfexp_get_attr(exp: *const nf_expect, type_: ExpAttrId) -> *const c_void {
    // SAFETY: per the contract above.
    let Some(e) = (unsafe { expect(exp) }) else {
        return fail(Error::InvalidArgument, ptr::null());
    };
    let r = ExpAttr::from_c(type_.0).and_then(|a| e.get(a));
    match r {
        Ok(AttrRef::Tuple(t)) => ptr::from_ref(t).cast(),
        Ok(AttrRef::U32(v)) => ptr::from_ref(v).cast(),
        Ok(AttrRef::U16(v)) => ptr::from_ref(v).cast(),
        Ok(AttrRef::Str(s)) => s.as_ptr().cast::<c_char>().cast(),
        Err(err) => fail(err, ptr::null()),
    }
}

/// Returns attribute `type` read as a `uint8_t` (the first byte of its
/// storage). Returns 0 with errno EINVAL when `type` is out of range or
/// `exp` is NULL, and with ENODATA when it is not set.
///
/// # Safety
/// `exp` is NULL or points to a live expectation.
#[no_mangle]
pub unsafe extern "C" fn nfexp_get_attr_u8(exp: *const nf_expect, type_: ExpAttrId) -> u8 {
    // SAFETY: per the contract above.
    let e = unsafe { expect(exp) }.ok_or(Error::InvalidArgument);
    let r = e.and_then(|e| ExpAttr::from_c(type_.0).and_then(|a| e.get_u8(a)));
    boundary::or_errno(r, 0)
}

/// Returns attribute `type` read as a `uint16_t` (the first two bytes of
/// its storage). Returns 0 with errno EINVAL when `type` is out of range
/// or `exp` is NULL, and with ENODATA when it is not set.
///
/// # Safety
/// `exp` is NULL or points to a live expectation.
#[no_mangle]
pub unsafe extern "C" fn nfexp_get_attr_u16(exp: *const nf_expect, type_: ExpAttrId) -> u16 {
    // SAFETY: per the contract above.
    let e = unsafe { expect(exp) }.ok_or(Error::InvalidArgument);
    let r = e.and_then(|e| ExpAttr::from_c(type_.0).and_then(|a| e.get_u16(a)));
    boundary::or_errno(r, 0)
}

/// Returns attribute `type` read as a `uint32_t` (the first four bytes of
/// its storage). Returns 0 with errno EINVAL when `type` is out of range
/// or `exp` is NULL, and with ENODATA when it is not set.
///
/// # Safety
/// `exp` is NULL or points to a live expectation.
#[no_mangle]
pub unsafe extern "C" fn nfexp_get_attr_u32(exp: *const nf_expect, type_: ExpAttrId) -> u32 {
    // SAFETY: per the contract above.
    let e = unsafe { expect(exp) }.ok_or(Error::InvalidArgument);
    let r = e.and_then(|e| ExpAttr::from_c(type_.0).and_then(|a| e.get_u32(a)));
    boundary::or_errno(r, 0)
}

/// Returns 1 if attribute `type` of `exp` is set, 0 if not. Returns -1
/// with errno EINVAL when `type` is out of range or `exp` is NULL.
///
/// # Safety
/// `exp` is NULL or points to a live expectation.
#[no_mangle]
pub unsafe extern "C" fn nfexp_attr_is_set(exp: *const nf_expect, type_: ExpAttrId) -> c_int {
    // SAFETY: per the contract above.
    let e = unsafe { expect(exp) }.ok_or(Error::InvalidArgument);
    let r = e.and_then(|e| ExpAttr::from_c(type_.0).map(|a| c_int::from(e.is_set(a))));
    boundary::or_errno(r, -1)
}

/// Marks attribute `type` of `exp` unset; returns 0. Returns -1 with errno
/// EINVAL when `type` is out of range or `exp` is NULL.
///
/// # Safety
/// `exp` is NULL or points to a live expectation.
#[no_mangle]
pub unsafe extern "C" fn nfexp_attr_unset(exp: *mut nf_expect, type_: ExpAttrId) -> c_int {
    // SAFETY: per the contract above.
    let e = unsafe { expect_mut(exp) }.ok_or(Error::InvalidArgument);
    let r = e.and_then(|e| ExpAttr::from_c(type_.0).map(|a| e.unset(a)));
    boundary::or_errno(r.map(|()| 0), -1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conntrack::Conntrack;
    use std::ffi::CStr;

    fn id(a: ExpAttr) -> ExpAttrId {
        ExpAttrId(a.id() as c_int)
    }

    fn errno() -> i32 {
        std::io::Error::last_os_error().raw_os_error().unwrap_or(0)
    }

    #[test]
    fn size_matches_c_layout() {
        // sizeof(struct nf_expect) of upstream on x86_64.
        assert_eq!(nfexp_maxsize(), 276);
        assert_eq!(size_of::<TupleHead>(), 52);
    }

    #[test]
    fn zeroed_memory_is_an_empty_object() {
        let mem = vec![0u64; nfexp_maxsize().div_ceil(8)];
        let p = mem.as_ptr().cast::<nf_expect>();
        // SAFETY: zeroed memory of nfexp_maxsize bytes, suitably aligned.
        unsafe {
            for &a in ExpAttr::ALL {
                assert_eq!(nfexp_attr_is_set(p, id(a)), 0);
            }
            assert_eq!(nfexp_sizeof(p), 276);
        }
    }

    #[test]
    fn set_get_round_trip() {
        let e = nfexp_new();
        // SAFETY: `e` is live until destroyed at the end.
        unsafe {
            nfexp_set_attr_u32(e, id(ExpAttr::Timeout), 100);
            nfexp_set_attr_u16(e, id(ExpAttr::Zone), 7);
            let flags: u32 = 3;
            nfexp_set_attr(e, id(ExpAttr::Flags), ptr::from_ref(&flags).cast());
            nfexp_set_attr(
                e,
                id(ExpAttr::HelperName),
                c"ftp-helper-long-name".as_ptr().cast(),
            );
            assert_eq!(nfexp_get_attr_u32(e, id(ExpAttr::Timeout)), 100);
            assert_eq!(nfexp_get_attr_u16(e, id(ExpAttr::Zone)), 7);
            assert_eq!(nfexp_get_attr_u32(e, id(ExpAttr::Flags)), 3);
            let name = nfexp_get_attr(e, id(ExpAttr::HelperName)).cast::<c_char>();
            assert_eq!(CStr::from_ptr(name).to_bytes(), b"ftp-helper-long");
            assert_eq!(nfexp_attr_is_set(e, id(ExpAttr::Zone)), 1);
            assert_eq!(nfexp_attr_unset(e, id(ExpAttr::Zone)), 0);
            assert!(nfexp_get_attr(e, id(ExpAttr::Zone)).is_null());
            assert_eq!(errno(), libc::ENODATA);
            assert_eq!(nfexp_get_attr_u16(e, id(ExpAttr::Zone)), 0);
            assert_eq!(errno(), libc::ENODATA);
            nfexp_destroy(e);
        }
    }

    #[test]
    fn tuples_from_conntrack_and_from_other_expectations() {
        let mut ct = Conntrack::new();
        ct.head.orig.src.0[0] = 0x0a00_0001;
        ct.head.orig.l3protonum = 2;
        ct.head.mark(0);
        ct.head.mark(15);
        ct.timeout = 99;
        let (a, b) = (nfexp_new(), nfexp_new());
        // SAFETY: all objects live until destroyed at the end.
        unsafe {
            nfexp_set_attr(a, id(ExpAttr::Master), ptr::from_ref(&ct).cast());
            let m = nfexp_get_attr(a, id(ExpAttr::Master));
            assert_eq!(*m.cast::<TupleHead>(), ct.head);
            // A head taken from another expectation, and from the same one.
            nfexp_set_attr(b, id(ExpAttr::Expected), m);
            nfexp_set_attr(a, id(ExpAttr::Mask), m);
            let eb = &*b.cast::<Expect>();
            let ea = &*a.cast::<Expect>();
            assert_eq!(eb.expected, ct.head);
            assert_eq!(ea.mask, ct.head);
            assert_eq!(nfexp_cmp(a, b, 0), 1);
            assert_eq!(nfexp_cmp(a, b, compare::CMP_STRICT), 0);
            let c = nfexp_clone(a);
            assert_eq!(nfexp_cmp(a, c, compare::CMP_STRICT), 1);
            assert_eq!(*c.cast::<Expect>(), *ea);
            nfexp_destroy(c);
            nfexp_destroy(a);
            nfexp_destroy(b);
        }
    }

    #[test]
    fn out_of_range_and_null() {
        let e = nfexp_new();
        let bad = ExpAttrId(11);
        let neg = ExpAttrId(-1);
        let v: u32 = 1;
        // SAFETY: `e` is live until destroyed; NULL is allowed everywhere.
        unsafe {
            nfexp_set_attr(e, bad, ptr::from_ref(&v).cast());
            nfexp_set_attr_u32(e, neg, 1);
            assert_eq!((*e.cast::<Expect>()).set, [0]);
            assert!(nfexp_get_attr(e, bad).is_null());
            assert_eq!(errno(), libc::EINVAL);
            assert_eq!(nfexp_get_attr_u32(e, neg), 0);
            assert_eq!(errno(), libc::EINVAL);
            assert_eq!(nfexp_attr_is_set(e, bad), -1);
            assert_eq!(errno(), libc::EINVAL);
            assert_eq!(nfexp_attr_unset(e, bad), -1);
            assert_eq!(errno(), libc::EINVAL);

            nfexp_set_attr(e, id(ExpAttr::Timeout), ptr::null());
            assert_eq!(nfexp_attr_is_set(e, id(ExpAttr::Timeout)), 0);
            let null = ptr::null_mut();
            nfexp_set_attr(null, id(ExpAttr::Timeout), ptr::from_ref(&v).cast());
            nfexp_set_attr_u8(null, id(ExpAttr::Timeout), 1);
            nfexp_set_attr_u16(null, id(ExpAttr::Timeout), 1);
            nfexp_set_attr_u32(null, id(ExpAttr::Timeout), 1);
            assert!(nfexp_get_attr(null, id(ExpAttr::Timeout)).is_null());
            assert_eq!(errno(), libc::EINVAL);
            assert_eq!(nfexp_get_attr_u8(null, id(ExpAttr::Timeout)), 0);
            assert_eq!(nfexp_attr_is_set(null, id(ExpAttr::Timeout)), -1);
            assert_eq!(nfexp_attr_unset(null, id(ExpAttr::Timeout)), -1);
            assert!(nfexp_clone(null).is_null());
            assert_eq!(nfexp_sizeof(null), 0);
            assert_eq!(nfexp_cmp(null, e, 0), 0);
            assert_eq!(errno(), libc::EINVAL);
            nfexp_destroy(null);
            nfexp_destroy(e);
        }
    }
}
