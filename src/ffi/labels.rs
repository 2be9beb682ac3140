//! The bitmask and label map functions of libnetfilter_conntrack.h
//! (upstream src/conntrack/api.c, bitmask and label groups), and the
//! pointer helpers other exports use for these two objects.
//!
//! A `struct nfct_bitmask *` is a `Box<Bitmask>` handed out with
//! `Box::into_raw`, so that a conntrack object can take one over for
//! `ATTR_CONNLABELS`. A `struct nfct_labelmap *` is a `Box<CLabelMap>`: the
//! core map plus NUL-terminated copies of its names, whose pointers
//! `nfct_labelmap_get_name` hands out.

use std::ffi::{c_char, c_int, c_uint, CStr, CString, OsStr};
use std::os::unix::ffi::OsStrExt;
use std::path::Path;

use super::abi::api::{nfct_bitmask, nfct_labelmap};
use super::boundary;
use crate::labels::{Bitmask, LabelMap, DEFAULT_PATH};
use crate::Error;

/// [`DEFAULT_PATH`] with its terminating NUL, for `nfct_labels_get_path`.
const DEFAULT_PATH_C: &CStr = c"/etc/xtables/connlabel.conf";
const _: () = assert!(DEFAULT_PATH_C.count_bytes() == DEFAULT_PATH.len());

/// What a `struct nfct_labelmap *` points to.
struct CLabelMap {
    map: LabelMap,
    /// `c_names[bit]` is `map.names[bit]` with a terminating NUL.
    c_names: Vec<Option<CString>>,
}

impl CLabelMap {
    fn new(map: LabelMap) -> CLabelMap {
        // Names hold only letters, digits, spaces and dashes: no NUL.
        let c_names = map
            .names
            .iter()
            .map(|n| n.as_deref().and_then(|n| CString::new(n).ok()))
            .collect();
        CLabelMap { map, c_names }
    }
}

/// Hands a bitmask to C, as `nfct_bitmask_new` does.
pub fn bitmask_into_raw(b: Box<Bitmask>) -> *mut nfct_bitmask {
    Box::into_raw(b).cast()
}

/// Takes back ownership of a bitmask C was given (for `nfct_bitmask_destroy`,
/// or `nfct_set_attr(ATTR_CONNLABELS)` which keeps it). NULL gives `None`.
///
/// # Safety
/// `b` is NULL or a pointer from [`bitmask_into_raw`] (so from
/// `nfct_bitmask_new` or `nfct_bitmask_clone`) that nothing else owns or
/// uses afterwards.
pub unsafe fn bitmask_from_raw(b: *mut nfct_bitmask) -> Option<Box<Bitmask>> {
    if b.is_null() {
        return None;
    }
    // SAFETY: per the contract above, `b` came from Box::into_raw of a
    // Box<Bitmask> and ownership returns to us here.
    Some(unsafe { Box::from_raw(b.cast::<Bitmask>()) })
}

/// Borrows a bitmask from C.
///
/// # Safety
/// `b` is NULL or points to a live bitmask of this library not mutated
/// for `'a`.
pub unsafe fn bitmask<'a>(b: *const nfct_bitmask) -> Option<&'a Bitmask> {
    // SAFETY: per the contract above; as_ref maps NULL to None.
    unsafe { b.cast::<Bitmask>().as_ref() }
}

/// Mutably borrows a bitmask from C.
///
/// # Safety
/// `b` is NULL or points to a live bitmask of this library not otherwise
/// borrowed for `'a`.
pub unsafe fn bitmask_mut<'a>(b: *mut nfct_bitmask) -> Option<&'a mut Bitmask> {
    // SAFETY: per the contract above; as_mut maps NULL to None.
    unsafe { b.cast::<Bitmask>().as_mut() }
}

/// Borrows the label map behind a `struct nfct_labelmap *` (for
/// `nfct_snprintf_labels`).
///
/// # Safety
/// `m` is NULL or a live pointer from `nfct_labelmap_new` not destroyed
/// for `'a`.
pub unsafe fn labelmap<'a>(m: *const nfct_labelmap) -> Option<&'a LabelMap> {
    // SAFETY: per the contract above, a non-NULL `m` points to a CLabelMap.
    unsafe { clabelmap(m) }.map(|m| &m.map)
}

/// # Safety
/// As for [`labelmap`].
unsafe fn clabelmap<'a>(m: *const nfct_labelmap) -> Option<&'a CLabelMap> {
    // SAFETY: per the contract of `labelmap`; as_ref maps NULL to None.
    unsafe { m.cast::<CLabelMap>().as_ref() }
}

/// Returns a new bitmask with room for bits `0..=maxbit`, rounded up to a
/// multiple of 32 bits, all clear. Returns NULL when `maxbit` is above
/// 0xffff, leaving errno untouched as upstream does. The caller owns the
/// result: free it with `nfct_bitmask_destroy`, or hand it to a conntrack
/// object with `nfct_set_attr(ATTR_CONNLABELS)`.
#[no_mangle]
pub extern "C" fn nfct_bitmask_new(maxbit: c_uint) -> *mut nfct_bitmask {
    match Bitmask::try_new(maxbit) {
        Ok(b) => bitmask_into_raw(Box::new(b)),
        Err(_) => std::ptr::null_mut(),
    }
}

/// Returns a new bitmask equal to `b`, owned by the caller. NULL `b`
/// (upstream crashes) returns NULL with errno EINVAL.
///
/// # Safety
/// `b` is NULL or a live bitmask of this library.
#[no_mangle]
pub unsafe extern "C" fn nfct_bitmask_clone(b: *const nfct_bitmask) -> *mut nfct_bitmask {
    // SAFETY: per the contract above.
    match unsafe { bitmask(b) } {
        Some(b) => bitmask_into_raw(Box::new(b.clone())),
        None => boundary::fail(Error::InvalidArgument, std::ptr::null_mut()),
    }
}

/// Returns the highest bit `b` can hold (its size in bits minus one).
/// NULL `b` (upstream crashes) returns 0 with errno EINVAL.
///
/// # Safety
/// `b` is NULL or a live bitmask of this library.
#[no_mangle]
pub unsafe extern "C" fn nfct_bitmask_maxbit(b: *const nfct_bitmask) -> c_uint {
    // SAFETY: per the contract above.
    match unsafe { bitmask(b) } {
        Some(b) => b.maxbit(),
        None => boundary::fail(Error::InvalidArgument, 0),
    }
}

/// Sets `bit` in `b`; a bit beyond the mask is ignored. NULL `b` does
/// nothing (upstream crashes).
///
/// # Safety
/// `b` is NULL or a live bitmask of this library.
#[no_mangle]
pub unsafe extern "C" fn nfct_bitmask_set_bit(b: *mut nfct_bitmask, bit: c_uint) {
    // SAFETY: per the contract above.
    if let Some(b) = unsafe { bitmask_mut(b) } {
        b.set(bit);
    }
}

/// Returns 1 if `bit` is set in `b`, else 0 (also for a bit beyond the
/// mask). NULL `b` (upstream crashes) returns 0 with errno EINVAL.
///
/// # Safety
/// `b` is NULL or a live bitmask of this library.
#[no_mangle]
pub unsafe extern "C" fn nfct_bitmask_test_bit(b: *const nfct_bitmask, bit: c_uint) -> c_int {
    // SAFETY: per the contract above.
    match unsafe { bitmask(b) } {
        Some(b) => c_int::from(b.test(bit)),
        None => boundary::fail(Error::InvalidArgument, 0),
    }
}

/// Clears `bit` in `b`; a bit beyond the mask is ignored. NULL `b` does
/// nothing (upstream crashes).
///
/// # Safety
/// `b` is NULL or a live bitmask of this library.
#[no_mangle]
pub unsafe extern "C" fn nfct_bitmask_unset_bit(b: *mut nfct_bitmask, bit: c_uint) {
    // SAFETY: per the contract above.
    if let Some(b) = unsafe { bitmask_mut(b) } {
        b.unset(bit);
    }
}

/// Frees `b`. NULL does nothing, as upstream's `free(NULL)`. Do not call it
/// on a bitmask handed to a conntrack object with
/// `nfct_set_attr(ATTR_CONNLABELS)`: the object owns it then.
///
/// # Safety
/// `b` is NULL or a bitmask from `nfct_bitmask_new`/`nfct_bitmask_clone`
/// that nothing else owns; it is invalid afterwards.
#[no_mangle]
pub unsafe extern "C" fn nfct_bitmask_destroy(b: *mut nfct_bitmask) {
    // SAFETY: per the contract above, ownership comes back to us here.
    drop(unsafe { bitmask_from_raw(b) });
}

/// Clears every bit of `b`. NULL `b` does nothing (upstream crashes).
///
/// # Safety
/// `b` is NULL or a live bitmask of this library.
#[no_mangle]
pub unsafe extern "C" fn nfct_bitmask_clear(b: *mut nfct_bitmask) {
    // SAFETY: per the contract above.
    if let Some(b) = unsafe { bitmask_mut(b) } {
        b.clear();
    }
}

/// Returns true if `b1` and `b2` have the same size and the same bits set;
/// masks of different sizes are never equal. A NULL argument (upstream
/// crashes) returns false with errno EINVAL.
///
/// # Safety
/// `b1` and `b2` are each NULL or a live bitmask of this library.
#[no_mangle]
pub unsafe extern "C" fn nfct_bitmask_equal(
    b1: *const nfct_bitmask,
    b2: *const nfct_bitmask,
) -> bool {
    // SAFETY: per the contract above.
    let (b1, b2) = unsafe { (bitmask(b1), bitmask(b2)) };
    match (b1, b2) {
        (Some(b1), Some(b2)) => b1.equal(b2),
        _ => boundary::fail(Error::InvalidArgument, false),
    }
}

/// Returns the default connlabel.conf path, "/etc/xtables/connlabel.conf",
/// as a static string the caller must not free.
#[no_mangle]
pub extern "C" fn nfct_labels_get_path() -> *const c_char {
    DEFAULT_PATH_C.as_ptr()
}

/// Reads the label map in `mapfile`, or in the default file
/// (`nfct_labels_get_path()`) when `mapfile` is NULL. Returns the map,
/// owned by the caller (free it with `nfct_labelmap_destroy`), or NULL:
/// with errno from `open` when the file cannot be opened, with errno 0
/// when it names no valid label.
///
/// # Safety
/// `mapfile` is NULL or a NUL-terminated string.
#[no_mangle]
pub unsafe extern "C" fn nfct_labelmap_new(mapfile: *const c_char) -> *mut nfct_labelmap {
    let path = if mapfile.is_null() {
        None
    } else {
        // SAFETY: per the contract above, a non-NULL `mapfile` is a C string.
        Some(unsafe { CStr::from_ptr(mapfile) })
    };
    let path = path.map(|p| Path::new(OsStr::from_bytes(p.to_bytes())));
    match LabelMap::load(path) {
        Ok(map) => Box::into_raw(Box::new(CLabelMap::new(map))).cast(),
        Err(e) => boundary::fail(e, std::ptr::null_mut()),
    }
}

/// Frees `map` and the names it handed out. NULL does nothing (upstream
/// crashes).
///
/// # Safety
/// `map` is NULL or a map from `nfct_labelmap_new` not yet destroyed; it
/// and its names are invalid afterwards.
#[no_mangle]
pub unsafe extern "C" fn nfct_labelmap_destroy(map: *mut nfct_labelmap) {
    if map.is_null() {
        return;
    }
    // SAFETY: per the contract above, `map` came from Box::into_raw of a
    // Box<CLabelMap> in nfct_labelmap_new and is ours again.
    drop(unsafe { Box::from_raw(map.cast::<CLabelMap>()) });
}

/// Returns the name of label `bit`: a string owned by `m`, valid until
/// `nfct_labelmap_destroy`; "" (static) for a bit without a name below the
/// highest named bit; NULL for a bit above it. NULL `m` (upstream crashes)
/// returns NULL with errno EINVAL.
///
/// # Safety
/// `m` is NULL or a live map from `nfct_labelmap_new`.
#[no_mangle]
pub unsafe extern "C" fn nfct_labelmap_get_name(
    m: *mut nfct_labelmap,
    bit: c_uint,
) -> *const c_char {
    // SAFETY: per the contract above.
    let Some(m) = (unsafe { clabelmap(m) }) else {
        return boundary::fail(Error::InvalidArgument, std::ptr::null());
    };
    match m.c_names.get(bit as usize) {
        Some(Some(name)) => name.as_ptr(),
        Some(None) => c"".as_ptr(),
        None => std::ptr::null(),
    }
}

/// Returns the bit of the label called `name`, or -1 when `m` has no such
/// label. NULL `m` returns -1, as upstream; NULL `name` (upstream crashes)
/// returns -1 with errno EINVAL.
///
/// # Safety
/// `m` is NULL or a live map from `nfct_labelmap_new`; `name` is NULL or a
/// NUL-terminated string.
#[no_mangle]
pub unsafe extern "C" fn nfct_labelmap_get_bit(
    m: *mut nfct_labelmap,
    name: *const c_char,
) -> c_int {
    // SAFETY: per the contract above.
    let Some(m) = (unsafe { labelmap(m) }) else {
        return -1;
    };
    if name.is_null() {
        return boundary::fail(Error::InvalidArgument, -1);
    }
    // SAFETY: per the contract above, a non-NULL `name` is a C string.
    let name = unsafe { CStr::from_ptr(name) };
    // Map names are ASCII, so a name that is not UTF-8 matches none.
    name.to_str()
        .ok()
        .and_then(|n| m.bit(n))
        .and_then(|b| c_int::try_from(b).ok())
        .unwrap_or(-1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn errno() -> i32 {
        std::io::Error::last_os_error().raw_os_error().unwrap_or(0)
    }

    fn temp_map(contents: &[u8]) -> *mut nfct_labelmap {
        let path = std::env::temp_dir().join(format!(
            "nfct-ffi-labels-{}-{}.conf",
            std::process::id(),
            contents.len()
        ));
        std::fs::write(&path, contents).unwrap();
        let c = CString::new(path.as_os_str().as_bytes()).unwrap();
        // SAFETY: `c` is a C string.
        let m = unsafe { nfct_labelmap_new(c.as_ptr()) };
        std::fs::remove_file(&path).unwrap();
        m
    }

    #[test]
    fn bitmask_round_trip() {
        let b = nfct_bitmask_new(40);
        assert!(!b.is_null());
        // SAFETY: `b` and `c` are live bitmasks from this library.
        unsafe {
            assert_eq!(nfct_bitmask_maxbit(b), 63);
            nfct_bitmask_set_bit(b, 40);
            nfct_bitmask_set_bit(b, 64);
            assert_eq!(nfct_bitmask_test_bit(b, 40), 1);
            assert_eq!(nfct_bitmask_test_bit(b, 64), 0);
            let c = nfct_bitmask_clone(b);
            assert!(nfct_bitmask_equal(b, c));
            nfct_bitmask_unset_bit(c, 40);
            assert!(!nfct_bitmask_equal(b, c));
            nfct_bitmask_clear(b);
            assert!(nfct_bitmask_equal(b, c));
            assert_eq!(bitmask(b).map(|b| b.words.len()), Some(2));
            nfct_bitmask_destroy(c);
            nfct_bitmask_destroy(b);
        }
        assert!(nfct_bitmask_new(0x10000).is_null());
        let big = nfct_bitmask_new(0xffff);
        assert!(!big.is_null());
        // SAFETY: `big` is a live bitmask from this library.
        unsafe {
            assert_eq!(nfct_bitmask_maxbit(big), 0xffff);
            nfct_bitmask_destroy(big);
        }
    }

    #[test]
    fn bitmask_null_arguments() {
        let null = std::ptr::null_mut::<nfct_bitmask>();
        let b = nfct_bitmask_new(0);
        // SAFETY: NULL is allowed everywhere; `b` is a live bitmask.
        unsafe {
            boundary::set_errno(0);
            assert!(nfct_bitmask_clone(null).is_null());
            assert_eq!(errno(), libc::EINVAL);
            boundary::set_errno(0);
            assert_eq!(nfct_bitmask_maxbit(null), 0);
            assert_eq!(errno(), libc::EINVAL);
            boundary::set_errno(0);
            assert_eq!(nfct_bitmask_test_bit(null, 0), 0);
            assert_eq!(errno(), libc::EINVAL);
            boundary::set_errno(0);
            assert!(!nfct_bitmask_equal(b, null));
            assert_eq!(errno(), libc::EINVAL);
            nfct_bitmask_set_bit(null, 1);
            nfct_bitmask_unset_bit(null, 1);
            nfct_bitmask_clear(null);
            nfct_bitmask_destroy(null);
            nfct_bitmask_destroy(b);
        }
    }

    #[test]
    fn labelmap_lookups() {
        let m = temp_map(b"1 one\n4 four\n");
        assert!(!m.is_null());
        // SAFETY: `m` is a live map; the names are C strings it owns.
        unsafe {
            let one = nfct_labelmap_get_name(m, 1);
            assert_eq!(CStr::from_ptr(one).to_bytes(), b"one");
            assert_eq!(nfct_labelmap_get_name(m, 1), one);
            assert_eq!(CStr::from_ptr(nfct_labelmap_get_name(m, 0)).to_bytes(), b"");
            assert_eq!(CStr::from_ptr(nfct_labelmap_get_name(m, 3)).to_bytes(), b"");
            assert!(nfct_labelmap_get_name(m, 5).is_null());
            assert!(nfct_labelmap_get_name(m, u32::MAX).is_null());
            assert_eq!(nfct_labelmap_get_bit(m, c"four".as_ptr()), 4);
            assert_eq!(nfct_labelmap_get_bit(m, c"".as_ptr()), -1);
            assert_eq!(nfct_labelmap_get_bit(m, c"\xff".as_ptr()), -1);
            assert_eq!(labelmap(m).map(|m| m.bit_count()), Some(5));
            boundary::set_errno(0);
            assert_eq!(nfct_labelmap_get_bit(m, std::ptr::null()), -1);
            assert_eq!(errno(), libc::EINVAL);
            nfct_labelmap_destroy(m);
        }
    }

    #[test]
    fn labelmap_failures_and_nulls() {
        boundary::set_errno(0);
        assert!(temp_map(b"# nothing\n").is_null());
        assert_eq!(errno(), 0);
        // SAFETY: the arguments are C strings or NULL.
        unsafe {
            boundary::set_errno(0);
            assert!(nfct_labelmap_new(c"/nonexistent/x.conf".as_ptr()).is_null());
            assert_eq!(errno(), libc::ENOENT);
            boundary::set_errno(0);
            assert_eq!(
                nfct_labelmap_get_bit(std::ptr::null_mut(), c"a".as_ptr()),
                -1
            );
            assert_eq!(errno(), 0);
            assert!(nfct_labelmap_get_name(std::ptr::null_mut(), 0).is_null());
            assert_eq!(errno(), libc::EINVAL);
            nfct_labelmap_destroy(std::ptr::null_mut());
            let p = CStr::from_ptr(nfct_labels_get_path());
            assert_eq!(p.to_str(), Ok(DEFAULT_PATH));
        }
    }
}
