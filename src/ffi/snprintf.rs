//! `nfct_snprintf`, `nfct_snprintf_labels` and `nfexp_snprintf`: the C
//! entry points of [`crate::format`], and the libc clock the timestamp
//! fields are printed with.

use std::ffi::{c_char, c_int, c_uint};

use super::abi::api::{nf_conntrack, nf_expect, nfct_labelmap};
use super::{boundary, labels};
use crate::format::{self, Clock, Tm};
use crate::Error;

/// `time()`, `ctime()` and `localtime_r()` of the C library, so that dates
/// follow the process's time zone exactly as upstream's do.
struct LibcClock;

impl LibcClock {
    fn breakdown(t: i64) -> Option<Tm> {
        let t = libc::time_t::try_from(t).ok()?;
        // SAFETY: all-zero is a valid `struct tm` (integers and a NULL
        // zone name pointer).
        let mut tm: libc::tm = unsafe { std::mem::zeroed() };
        // SAFETY: both pointers refer to live locals for the whole call.
        let r = unsafe { libc::localtime_r(&t, &mut tm) };
        if r.is_null() {
            return None;
        }
        Some(Tm {
            sec: tm.tm_sec,
            min: tm.tm_min,
            hour: tm.tm_hour,
            mday: tm.tm_mday,
            mon: tm.tm_mon,
            year: tm.tm_year,
            wday: tm.tm_wday,
        })
    }
}

impl Clock for LibcClock {
    fn now(&self) -> i64 {
        // SAFETY: time() accepts NULL and only returns the current time.
        let t: libc::time_t = unsafe { libc::time(std::ptr::null_mut()) };
        t as i64
    }

    fn ctime_local(&self, t: i64) -> Option<Tm> {
        // Declared here, out of cbindgen's sight: the libc crate has no
        // tzset for Linux, and the header must not declare it.
        extern "C" {
            fn tzset();
        }
        // ctime() re-reads TZ on every call; localtime_r() alone does not.
        // SAFETY: tzset() takes no arguments and only updates libc's
        // time zone state, as ctime() itself does.
        unsafe { tzset() };
        Self::breakdown(t)
    }

    fn local(&self, t: i64) -> Option<Tm> {
        Self::breakdown(t)
    }
}

/// Borrows the caller's output buffer; an empty one for size 0.
///
/// # Safety
/// `size` is 0, or `buf` is NULL or valid for writes of `size` bytes for
/// `'a`.
unsafe fn out_buf<'a>(buf: *mut c_char, size: c_uint) -> Option<&'a mut [u8]> {
    if size == 0 {
        return Some(&mut []);
    }
    if buf.is_null() {
        return None;
    }
    // SAFETY: non-NULL, and the caller guarantees `size` writable bytes.
    Some(unsafe { std::slice::from_raw_parts_mut(buf.cast::<u8>(), size as usize) })
}

/// Upstream's output types; anything else fails with ENOENT before any
/// pointer is used.
fn known_output(out_type: c_uint) -> bool {
    out_type == format::O_DEFAULT || out_type == format::O_XML
}

fn result(r: crate::Result<i32>) -> c_int {
    boundary::or_errno(r, -1)
}

/// Prints `ct` as text into `buf`, at most `size` bytes including the
/// terminating NUL, in format `out_type` (`NFCT_O_DEFAULT` or
/// `NFCT_O_XML`) for message type `msg_type` (`NFCT_T_NEW`, ... adds a
/// tag), with the `NFCT_OF_*` flags `out_flags`.
///
/// Returns the length of the full text, as snprintf does, even when `buf`
/// was too small (then the text is cut and NUL-terminated). Returns -1
/// with errno ENOENT for an unknown `out_type`, and -1 with errno
/// unchanged when the layer-4 protocol (or, with `NFCT_OF_SHOW_LAYER3`,
/// the layer-3 protocol) is unset in the default format. `buf` NULL,
/// `size` 0 or `ct` NULL: -1 with errno EINVAL (upstream asserts).
///
/// # Safety
/// `buf` is NULL or writable for `size` bytes; `ct` is NULL or a live
/// conntrack object.
#[no_mangle]
pub unsafe extern "C" fn nfct_snprintf(
    buf: *mut c_char,
    size: c_uint,
    ct: *const nf_conntrack,
    msg_type: c_uint,
    out_type: c_uint,
    out_flags: c_uint,
) -> c_int {
    // Upstream asserts these before anything else.
    if buf.is_null() || size == 0 || ct.is_null() {
        return boundary::fail(Error::InvalidArgument, -1);
    }
    // SAFETY: forwarded contract; a NULL map prints no labels.
    unsafe {
        nfct_snprintf_labels(
            buf,
            size,
            ct,
            msg_type,
            out_type,
            out_flags,
            std::ptr::null_mut(),
        )
    }
}

/// Like `nfct_snprintf`, and when `map` is not NULL also prints the names
/// the label map gives to the connection labels of `ct` (labels without a
/// name are left out). `map` is borrowed, not freed.
///
/// Returns as `nfct_snprintf`, but checks nothing before the output type
/// (an unknown one fails with ENOENT whatever the other arguments), as
/// upstream. Where upstream would then crash (`ct` NULL, `buf` NULL,
/// `size` 0 with a text to terminate) it returns -1 with errno EINVAL; with
/// `size` 0 and the layer-4 protocol unset it returns -1, errno unchanged,
/// as upstream does.
///
/// # Safety
/// `size` is 0, or `buf` is NULL or writable for `size` bytes; `ct` is NULL
/// or a live conntrack object; `map` is NULL or a label map from
/// `nfct_labelmap_new`.
#[no_mangle]
pub unsafe extern "C" fn nfct_snprintf_labels(
    buf: *mut c_char,
    size: c_uint,
    ct: *const nf_conntrack,
    msg_type: c_uint,
    out_type: c_uint,
    out_flags: c_uint,
    map: *mut nfct_labelmap,
) -> c_int {
    // Upstream checks the output type before touching any pointer.
    if !known_output(out_type) {
        return boundary::fail(Error::Os(libc::ENOENT), -1);
    }
    // SAFETY: per this function's contract.
    let out = unsafe { out_buf(buf, size) };
    // SAFETY: per this function's contract.
    let ct = unsafe { boundary::conntrack(ct) };
    // SAFETY: per this function's contract, `map` is NULL or from
    // nfct_labelmap_new.
    let map = unsafe { labels::labelmap(map) };
    let (Some(out), Some(ct)) = (out, ct) else {
        return boundary::fail(Error::InvalidArgument, -1);
    };
    result(format::snprintf_conntrack(
        out, ct, msg_type, out_type, out_flags, map, &LibcClock,
    ))
}

/// Prints the expectation `exp` as text into `buf`, like `nfct_snprintf`
/// does for conntracks.
///
/// Returns the length of the full text even when `buf` was too small;
/// -1 with errno ENOENT for an unknown `out_type`. `buf` NULL, `size` 0 or
/// `exp` NULL: -1 with errno EINVAL (upstream asserts).
///
/// # Safety
/// `buf` is NULL or writable for `size` bytes; `exp` is NULL or a live
/// expectation.
#[no_mangle]
pub unsafe extern "C" fn nfexp_snprintf(
    buf: *mut c_char,
    size: c_uint,
    exp: *const nf_expect,
    msg_type: c_uint,
    out_type: c_uint,
    out_flags: c_uint,
) -> c_int {
    // Upstream asserts these before anything else.
    if buf.is_null() || size == 0 {
        return boundary::fail(Error::InvalidArgument, -1);
    }
    // SAFETY: per this function's contract.
    let out = unsafe { out_buf(buf, size) };
    // SAFETY: per this function's contract.
    let exp = unsafe { boundary::expect(exp) };
    let (Some(out), Some(exp)) = (out, exp) else {
        return boundary::fail(Error::InvalidArgument, -1);
    };
    result(format::snprintf_expect(
        out, exp, msg_type, out_type, out_flags, &LibcClock,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conntrack::{Attr, Conntrack};
    use crate::expect::Expect;
    use crate::ffi::labels::{nfct_labelmap_destroy, nfct_labelmap_new};
    use crate::labels::Bitmask;
    use std::ffi::CString;

    fn errno() -> i32 {
        // SAFETY: __errno_location always returns the calling thread's errno.
        unsafe { *libc::__errno_location() }
    }

    fn tcp() -> Box<Conntrack> {
        let mut ct = Box::new(Conntrack::new());
        ct.head.orig.protonum = 6;
        ct.mark_set(Attr::OrigL4Proto);
        ct
    }

    fn ptr(ct: &Conntrack) -> *const nf_conntrack {
        (ct as *const Conntrack).cast()
    }

    #[test]
    fn prints_and_terminates() {
        let ct = tcp();
        let mut buf = [0x55 as c_char; 64];
        // SAFETY: buf is writable for its length; ct is live.
        let r = unsafe { nfct_snprintf(buf.as_mut_ptr(), 64, ptr(&ct), 1, 0, 0) };
        let want = b"    [NEW] tcp      6 sport=0 dport=0\0";
        assert_eq!(r, 36);
        let got: Vec<u8> = buf[..want.len()].iter().map(|&c| c as u8).collect();
        assert_eq!(got, want);
        // Cut short: the text is truncated, the full length returned.
        // SAFETY: as above, with a smaller size.
        let r = unsafe { nfct_snprintf(buf.as_mut_ptr(), 8, ptr(&ct), 1, 0, 0) };
        assert_eq!(r, 36);
        let got: Vec<u8> = buf[..8].iter().map(|&c| c as u8).collect();
        assert_eq!(got, b"    [NE\0");
    }

    #[test]
    fn bad_arguments() {
        let ct = tcp();
        let mut buf = [0 as c_char; 16];
        // SAFETY: NULL and zero sizes are rejected before any access.
        unsafe {
            assert_eq!(
                nfct_snprintf(std::ptr::null_mut(), 16, ptr(&ct), 0, 0, 0),
                -1
            );
            assert_eq!(errno(), libc::EINVAL);
            assert_eq!(nfct_snprintf(buf.as_mut_ptr(), 0, ptr(&ct), 0, 0, 0), -1);
            assert_eq!(errno(), libc::EINVAL);
            assert_eq!(
                nfct_snprintf(buf.as_mut_ptr(), 16, std::ptr::null(), 0, 0, 0),
                -1
            );
            assert_eq!(errno(), libc::EINVAL);
            let m = std::ptr::null_mut();
            assert_eq!(
                nfct_snprintf_labels(buf.as_mut_ptr(), 0, ptr(&ct), 0, 0, 0, m),
                -1
            );
            assert_eq!(errno(), libc::EINVAL);
            assert_eq!(
                nfexp_snprintf(buf.as_mut_ptr(), 16, std::ptr::null(), 0, 0, 0),
                -1
            );
            assert_eq!(errno(), libc::EINVAL);
        }
    }

    #[test]
    fn labels_variant_checks_like_upstream() {
        let ct = tcp();
        let empty = Box::new(Conntrack::new());
        let m = std::ptr::null_mut();
        let null = std::ptr::null_mut();
        // SAFETY: size 0 and NULL pointers are never dereferenced.
        unsafe {
            // The output type is checked first, whatever the pointers.
            let r = nfct_snprintf_labels(null, 0, std::ptr::null(), 0, 5, 0, m);
            assert_eq!((r, errno()), (-1, libc::ENOENT));
            // Nothing to terminate: -1 with errno untouched.
            *libc::__errno_location() = 0;
            assert_eq!(nfct_snprintf_labels(null, 0, ptr(&empty), 0, 0, 0, m), -1);
            assert_eq!(errno(), 0);
            // A text upstream would terminate out of bounds.
            assert_eq!(nfct_snprintf_labels(null, 0, ptr(&ct), 0, 0, 0, m), -1);
            assert_eq!(errno(), libc::EINVAL);
            assert_eq!(nfct_snprintf_labels(null, 9, ptr(&ct), 0, 1, 0, m), -1);
            assert_eq!(errno(), libc::EINVAL);
        }
    }

    #[test]
    fn unknown_output_type_is_enoent() {
        let ct = tcp();
        let exp = Box::new(Expect::new());
        let mut buf = [0 as c_char; 16];
        // SAFETY: buf is writable for its length; ct and exp are live.
        unsafe {
            assert_eq!(nfct_snprintf(buf.as_mut_ptr(), 16, ptr(&ct), 0, 2, 0), -1);
            assert_eq!(errno(), libc::ENOENT);
            let e = (&*exp as *const Expect).cast::<nf_expect>();
            assert_eq!(nfexp_snprintf(buf.as_mut_ptr(), 16, e, 0, 9, 0), -1);
            assert_eq!(errno(), libc::ENOENT);
        }
    }

    #[test]
    fn labels_through_a_map_file() {
        let dir = std::env::temp_dir().join(format!("nfct-snprintf-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("connlabel.conf");
        std::fs::write(&file, "0 zero\n2 two\n").unwrap();
        let path = CString::new(file.to_str().unwrap()).unwrap();

        let mut ct = tcp();
        let mut b = Bitmask::new(31);
        b.set(0);
        b.set(1);
        b.set(2);
        ct.connlabels = Some(Box::new(b));
        ct.mark_set(Attr::Connlabels);
        let mut buf = [0 as c_char; 128];
        // SAFETY: path is a C string; buf is writable; ct and map are live
        // until destroyed at the end.
        unsafe {
            let map = nfct_labelmap_new(path.as_ptr());
            assert!(!map.is_null());
            let r = nfct_snprintf_labels(buf.as_mut_ptr(), 128, ptr(&ct), 0, 0, 0, map);
            let text = std::ffi::CStr::from_ptr(buf.as_ptr()).to_str().unwrap();
            assert_eq!(text, "tcp      6 sport=0 dport=0 labels=zero,two");
            assert_eq!(r, text.len() as c_int);
            let r = nfct_snprintf(buf.as_mut_ptr(), 128, ptr(&ct), 0, 0, 0);
            assert_eq!(r, 26);
            nfct_labelmap_destroy(map);
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
}
