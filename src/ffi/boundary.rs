//! Pointer checks and errno: the helpers every export uses.

use super::abi::api::{nf_conntrack, nf_expect};
use crate::conntrack::Conntrack;
use crate::expect::Expect;
use crate::Error;

/// Sets the calling thread's `errno`.
pub fn set_errno(e: i32) {
    // SAFETY: __errno_location always returns a valid pointer to the
    // calling thread's errno.
    unsafe { *libc::__errno_location() = e };
}

/// Sets `errno` from `err` and returns `value`.
pub fn fail<T>(err: Error, value: T) -> T {
    set_errno(err.errno());
    value
}

/// Returns `Ok` values as they are; for `Err` sets errno and returns `on_err`.
pub fn or_errno<T>(r: Result<T, Error>, on_err: T) -> T {
    match r {
        Ok(v) => v,
        Err(e) => fail(e, on_err),
    }
}

/// Borrows a conntrack object from C.
///
/// # Safety
/// `ct` is NULL or points to a live conntrack object (made by this library
/// or zeroed memory of `nfct_maxsize()` bytes) not mutated for `'a`.
pub unsafe fn conntrack<'a>(ct: *const nf_conntrack) -> Option<&'a Conntrack> {
    // SAFETY: per the contract above; as_ref maps NULL to None.
    unsafe { ct.cast::<Conntrack>().as_ref() }
}

/// Mutably borrows a conntrack object from C.
///
/// # Safety
/// `ct` is NULL or points to a live conntrack object not otherwise
/// borrowed for `'a`.
pub unsafe fn conntrack_mut<'a>(ct: *mut nf_conntrack) -> Option<&'a mut Conntrack> {
    // SAFETY: per the contract above; as_mut maps NULL to None.
    unsafe { ct.cast::<Conntrack>().as_mut() }
}

/// Borrows an expectation from C.
///
/// # Safety
/// `exp` is NULL or points to a live expectation not mutated for `'a`.
pub unsafe fn expect<'a>(exp: *const nf_expect) -> Option<&'a Expect> {
    // SAFETY: per the contract above.
    unsafe { exp.cast::<Expect>().as_ref() }
}

/// Mutably borrows an expectation from C.
///
/// # Safety
/// `exp` is NULL or points to a live expectation not otherwise borrowed.
pub unsafe fn expect_mut<'a>(exp: *mut nf_expect) -> Option<&'a mut Expect> {
    // SAFETY: per the contract above.
    unsafe { exp.cast::<Expect>().as_mut() }
}

/// Hands a new conntrack object to C.
pub fn conntrack_into_raw(ct: Box<Conntrack>) -> *mut nf_conntrack {
    Box::into_raw(ct).cast()
}

/// Hands a new expectation to C.
pub fn expect_into_raw(exp: Box<Expect>) -> *mut nf_expect {
    Box::into_raw(exp).cast()
}
