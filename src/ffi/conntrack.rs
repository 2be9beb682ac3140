//! The conntrack object functions of the C API: construction, attribute
//! and group access, object options, copy and comparison (upstream
//! src/conntrack/api.c).
//!
//! An `nf_conntrack *` is a `Box<Conntrack>` handed out by `nfct_new` or
//! `nfct_clone`, or zeroed caller memory of `nfct_maxsize()` bytes. An
//! `nfct_bitmask *` is a `Box<Bitmask>` handed out by `nfct_bitmask_new`.
//!
//! Where upstream asserts on a NULL pointer, these functions set errno to
//! `EINVAL` and return their failure value (nothing for `void` ones).

use std::ffi::{c_int, c_uint, c_void};

use super::abi::api::{nf_conntrack, CtAttrId, GrpId};
use super::boundary::{self, fail, or_errno, set_errno};
use crate::conntrack::attr::{attr_from_id, kind, Kind, Value};
use crate::conntrack::copy;
use crate::conntrack::grp::Grp;
use crate::conntrack::object::HELPER_NAME_MAX;
use crate::conntrack::{compare, Attr, Conntrack};
use crate::labels::Bitmask;
use crate::Error;

/// Allocates a new conntrack object with no attribute set.
///
/// Returns the object, owned by the caller and released with
/// `nfct_destroy`.
#[no_mangle]
pub extern "C" fn nfct_new() -> *mut nf_conntrack {
    boundary::conntrack_into_raw(Box::default())
}
/// Releases a conntrack object made by `nfct_new` or `nfct_clone`, with
/// the label sets, security context and helper info it owns.
///
/// NULL: nothing happens (errno `EINVAL`).
///
/// # Safety
/// `ct` is NULL or a live object from `nfct_new`/`nfct_clone`, not used
/// afterwards.
#[no_mangle]
pub unsafe extern "C" fn nfct_destroy(ct: *mut nf_conntrack) {
    if ct.is_null() {
        set_errno(libc::EINVAL);
        return;
    }
    // SAFETY: per the contract, `ct` came from Box::into_raw of a
    // Box<Conntrack> (conntrack_into_raw) and ownership returns here.
    drop(unsafe { Box::from_raw(ct.cast::<Conntrack>()) });
}

/// Returns a new object that is a deep copy of `ct` (what `nfct_copy`
/// with `NFCT_CP_OVERRIDE` makes), owned by the caller.
///
/// NULL `ct`: returns NULL with errno `EINVAL`.
///
/// # Safety
/// `ct` is NULL or points to a live conntrack object.
#[no_mangle]
pub unsafe extern "C" fn nfct_clone(ct: *const nf_conntrack) -> *mut nf_conntrack {
    // SAFETY: per the contract above.
    match unsafe { boundary::conntrack(ct) } {
        Some(ct) => boundary::conntrack_into_raw(Box::new(copy::duplicate(ct))),
        None => fail(Error::InvalidArgument, std::ptr::null_mut()),
    }
}

/// Returns the size of a conntrack object in bytes.
///
/// NULL `ct`: returns 0 with errno `EINVAL`.
///
/// # Safety
/// `ct` is NULL or points to a live conntrack object.
#[deprecated]
#[no_mangle]
pub unsafe extern "C" fn nfct_sizeof(ct: *const nf_conntrack) -> usize {
    if ct.is_null() {
        return fail(Error::InvalidArgument, 0);
    }
    std::mem::size_of::<Conntrack>()
}

/// Returns the size of a conntrack object in bytes: callers may use that
/// much zeroed memory as an object.
#[deprecated]
#[no_mangle]
pub extern "C" fn nfct_maxsize() -> usize {
    std::mem::size_of::<Conntrack>()
}

/// Where a stored bitmask lives, to recognise a pointer the object
/// already owns.
fn bitmask_addr(m: Option<&Bitmask>) -> *const Bitmask {
    m.map_or(std::ptr::null(), |m| m as *const Bitmask)
}

/// Sets attribute `type` from the memory at `value`, read the way the
/// attribute's type says: 1, 2, 4, 8 or 16 bytes (ports and addresses in
/// network byte order); the helper name as a NUL-terminated string of
/// which 15 bytes are kept; helper info as `len` bytes; a label set
/// (`ATTR_CONNLABELS`, `ATTR_CONNLABELS_MASK`) as an `nfct_bitmask *`
/// whose ownership moves into the object (the set it replaces is freed;
/// setting the pointer the object already holds only marks it). For
/// `ATTR_SECCTX`, counters, use and start/stop timestamps the value is
/// ignored and only the mark set, as upstream.
///
/// # Safety
/// `value` is NULL or points to a value of the attribute's type (`len`
/// bytes for helper info; a live, caller-owned bitmask for label sets).
unsafe fn set_from_ptr(ct: &mut Conntrack, id: c_int, value: *const c_void, len: usize) {
    let attr = match attr_from_id(id) {
        Ok(a) => a,
        // Upstream ignores ids >= ATTR_MAX without touching errno.
        Err(_) => return,
    };
    if value.is_null() {
        set_errno(libc::EINVAL);
        return;
    }
    let r = match kind(attr) {
        Kind::U8 | Kind::U16 | Kind::U32 | Kind::U64 | Kind::Addr => {
            let n = kind(attr).fixed_len().unwrap_or(0);
            // SAFETY: the C contract of nfct_set_attr: `value` points to a
            // value of the attribute's type, `n` readable bytes.
            let v = unsafe { std::slice::from_raw_parts(value.cast::<u8>(), n) };
            ct.set_bytes(attr, v)
        }
        Kind::HelperName => {
            // SAFETY: `value` is a NUL-terminated string; strnlen stops at
            // its NUL or after HELPER_NAME_MAX bytes, all readable.
            let n = unsafe { libc::strnlen(value.cast(), HELPER_NAME_MAX) };
            // SAFETY: the first `n` bytes were just read by strnlen.
            let v = unsafe { std::slice::from_raw_parts(value.cast::<u8>(), n) };
            ct.set_bytes(attr, v)
        }
        Kind::Secctx => ct.set_bytes(attr, &[]),
        Kind::HelperInfo => {
            // SAFETY: the caller passes `len` readable bytes at `value`
            // (nfct_set_attr passes len 0, as upstream).
            let v = unsafe { std::slice::from_raw_parts(value.cast::<u8>(), len) };
            ct.set_bytes(attr, v)
        }
        Kind::Bitmask => {
            let p = value.cast::<Bitmask>();
            let other = match attr {
                Attr::Connlabels => Attr::ConnlabelsMask,
                _ => Attr::Connlabels,
            };
            if p == bitmask_addr(ct.bitmask_slot(attr)) {
                ct.mark_set(attr);
                Ok(())
            } else if p == bitmask_addr(ct.bitmask_slot(other)) {
                // One bitmask cannot be owned twice; upstream would free it
                // twice on destroy.
                Err(Error::InvalidArgument)
            } else {
                // SAFETY: per nfct_set_attr's contract a label set is a
                // live bitmask from nfct_bitmask_new/clone (a Box<Bitmask>)
                // whose ownership the caller hands over here.
                let m = unsafe { Box::from_raw(p.cast_mut()) };
                ct.set_bitmask(attr, m)
            }
        }
    };
    if let Err(e) = r {
        set_errno(e.errno());
    }
}

/// Sets attribute `type` of `ct` to the value `value` points to. The
/// value is read according to the attribute's type: an integer of its
/// width (ports and addresses in network byte order), 16 bytes for an
/// IPv6 address, a NUL-terminated string for `ATTR_HELPER_NAME` (truncated
/// to 15 bytes), an `nfct_bitmask *` for `ATTR_CONNLABELS` and
/// `ATTR_CONNLABELS_MASK` (ownership moves into `ct`; a replaced set is
/// freed). `ATTR_HELPER_INFO` gets 0 bytes (use `nfct_set_attr_l`).
/// `ATTR_SECCTX`, the counters, `ATTR_USE` and the start/stop timestamps
/// are only marked as set, as upstream.
///
/// Ids `>= ATTR_MAX` are ignored. NULL `ct` or `value`: nothing happens
/// (errno `EINVAL`).
///
/// # Safety
/// `ct` is NULL or a live conntrack object; `value` is NULL or points to
/// a value of the attribute's type.
#[no_mangle]
pub unsafe extern "C" fn nfct_set_attr(
    ct: *mut nf_conntrack,
    r#type: CtAttrId,
    value: *const c_void,
) {
    // SAFETY: per the contract above.
    unsafe { nfct_set_attr_l(ct, r#type, value, 0) }
}

/// As `nfct_set_attr`, with the value's length: `ATTR_HELPER_INFO` copies
/// `len` bytes; every other attribute reads its own size and ignores
/// `len`, as upstream.
///
/// # Safety
/// `ct` is NULL or a live conntrack object; `value` is NULL or points to
/// a value of the attribute's type (`len` bytes for helper info).
#[no_mangle]
pub unsafe extern "C" fn nfct_set_attr_l(
    ct: *mut nf_conntrack,
    r#type: CtAttrId,
    value: *const c_void,
    len: usize,
) {
    // SAFETY: per the contract above.
    match unsafe { boundary::conntrack_mut(ct) } {
        // SAFETY: `value` as nfct_set_attr_l's contract says.
        Some(ct) => unsafe { set_from_ptr(ct, r#type.0, value, len) },
        None => set_errno(libc::EINVAL),
    }
}

/// Sets an attribute from a host-order integer: the integer's bytes are
/// the attribute's value, as upstream (so ports go in network byte order).
/// Label sets cannot be set this way (errno `EINVAL`).
///
/// # Safety
/// `ct` is NULL or a live conntrack object not otherwise borrowed.
unsafe fn set_int<F>(ct: *mut nf_conntrack, id: CtAttrId, set: F)
where
    F: FnOnce(&mut Conntrack, Attr) -> crate::Result<()>,
{
    // SAFETY: per the contract above.
    let Some(ct) = (unsafe { boundary::conntrack_mut(ct) }) else {
        set_errno(libc::EINVAL);
        return;
    };
    let Ok(attr) = attr_from_id(id.0) else {
        return;
    };
    if let Err(e) = set(ct, attr) {
        set_errno(e.errno());
    }
}

/// Sets attribute `type` to the 8-bit `value`.
///
/// Ids `>= ATTR_MAX` are ignored; NULL `ct`: errno `EINVAL`.
///
/// # Safety
/// `ct` is NULL or a live conntrack object.
#[no_mangle]
pub unsafe extern "C" fn nfct_set_attr_u8(ct: *mut nf_conntrack, r#type: CtAttrId, value: u8) {
    // SAFETY: per the contract above.
    unsafe { set_int(ct, r#type, |c, a| c.set_u8(a, value)) }
}

/// Sets attribute `type` to the 16-bit `value` (ports in network byte
/// order).
///
/// Ids `>= ATTR_MAX` are ignored; NULL `ct`: errno `EINVAL`.
///
/// # Safety
/// `ct` is NULL or a live conntrack object.
#[no_mangle]
pub unsafe extern "C" fn nfct_set_attr_u16(ct: *mut nf_conntrack, r#type: CtAttrId, value: u16) {
    // SAFETY: per the contract above.
    unsafe { set_int(ct, r#type, |c, a| c.set_u16(a, value)) }
}

/// Sets attribute `type` to the 32-bit `value` (IPv4 addresses in network
/// byte order).
///
/// Ids `>= ATTR_MAX` are ignored; NULL `ct`: errno `EINVAL`.
///
/// # Safety
/// `ct` is NULL or a live conntrack object.
#[no_mangle]
pub unsafe extern "C" fn nfct_set_attr_u32(ct: *mut nf_conntrack, r#type: CtAttrId, value: u32) {
    // SAFETY: per the contract above.
    unsafe { set_int(ct, r#type, |c, a| c.set_u32(a, value)) }
}

/// Sets attribute `type` to the 64-bit `value`.
///
/// Ids `>= ATTR_MAX` are ignored; NULL `ct`: errno `EINVAL`.
///
/// # Safety
/// `ct` is NULL or a live conntrack object.
#[no_mangle]
pub unsafe extern "C" fn nfct_set_attr_u64(ct: *mut nf_conntrack, r#type: CtAttrId, value: u64) {
    // SAFETY: per the contract above.
    unsafe { set_int(ct, r#type, |c, a| c.set_u64(a, value)) }
}

/// The core value of attribute `id` of `ct`, with upstream's errors.
///
/// # Safety
/// `ct` is NULL or a live conntrack object that outlives `'a`.
unsafe fn value_of<'a>(ct: *const nf_conntrack, id: CtAttrId) -> crate::Result<Value<'a>> {
    // SAFETY: per the contract above.
    let ct = unsafe { boundary::conntrack(ct) }.ok_or(Error::InvalidArgument)?;
    ct.get(attr_from_id(id.0)?)
}

/// The object and attribute of a typed getter, with upstream's errors.
///
/// # Safety
/// `ct` is NULL or a live conntrack object that outlives `'a`.
unsafe fn object_attr<'a>(
    ct: *const nf_conntrack,
    id: CtAttrId,
) -> crate::Result<(&'a Conntrack, Attr)> {
    // SAFETY: per the contract above.
    let ct = unsafe { boundary::conntrack(ct) }.ok_or(Error::InvalidArgument)?;
    Ok((ct, attr_from_id(id.0)?))
}

/// Returns a pointer to the value of attribute `type` inside `ct`, valid
/// until `ct` changes or is destroyed: an integer of the attribute's
/// width, a 16-byte address, the NUL-terminated helper name or security
/// context, the helper info bytes, or the `nfct_bitmask` of a label set
/// (still owned by `ct`).
///
/// Returns NULL with errno `EINVAL` for an id `>= ATTR_MAX` or a NULL
/// `ct`, with errno `ENODATA` when the attribute is not set, and NULL
/// without touching errno when it is set but has no storage (security
/// context, helper info or labels never received).
///
/// # Safety
/// `ct` is NULL or a live conntrack object.
#[no_mangle]
pub unsafe extern "C" fn nfct_get_attr(ct: *const nf_conntrack, r#type: CtAttrId) -> *const c_void {
    // SAFETY: per the contract above; the pointer returned borrows from
    // the object the caller keeps alive.
    let v = unsafe { value_of(ct, r#type) };
    match v {
        Ok(Value::U8(x)) => (x as *const u8).cast(),
        Ok(Value::U16(x)) => (x as *const u16).cast(),
        Ok(Value::U32(x)) => (x as *const u32).cast(),
        Ok(Value::U64(x)) => (x as *const u64).cast(),
        Ok(Value::Addr(x)) => (x as *const crate::conntrack::object::Addr).cast(),
        Ok(Value::Bytes(x)) => x.as_ptr().cast(),
        Ok(Value::Bitmask(x)) => (x as *const Bitmask).cast(),
        Ok(Value::Null) => std::ptr::null(),
        Err(e) => fail(e, std::ptr::null()),
    }
}

/// Returns attribute `type` read as a `uint8_t` (the first byte of its
/// value; every typed getter reads what the original would read through
/// `nfct_get_attr`'s pointer, neighbouring fields included). Returns 0 with errno `ENODATA` when unset, with errno `EINVAL`
/// for an id `>= ATTR_MAX` or NULL `ct`.
///
/// # Safety
/// `ct` is NULL or a live conntrack object.
#[no_mangle]
pub unsafe extern "C" fn nfct_get_attr_u8(ct: *const nf_conntrack, r#type: CtAttrId) -> u8 {
    // SAFETY: per the contract above.
    or_errno(
        unsafe { object_attr(ct, r#type) }.and_then(|(ct, a)| ct.get_u8(a)),
        0,
    )
}

/// Returns attribute `type` read as a `uint16_t` (ports in network byte
/// order). Returns 0 with errno `ENODATA` when unset, with errno `EINVAL`
/// for an id `>= ATTR_MAX` or NULL `ct`.
///
/// # Safety
/// `ct` is NULL or a live conntrack object.
#[no_mangle]
pub unsafe extern "C" fn nfct_get_attr_u16(ct: *const nf_conntrack, r#type: CtAttrId) -> u16 {
    // SAFETY: per the contract above.
    or_errno(
        unsafe { object_attr(ct, r#type) }.and_then(|(ct, a)| ct.get_u16(a)),
        0,
    )
}

/// Returns attribute `type` read as a `uint32_t` (IPv4 addresses in
/// network byte order). Returns 0 with errno `ENODATA` when unset, with
/// errno `EINVAL` for an id `>= ATTR_MAX` or NULL `ct`.
///
/// # Safety
/// `ct` is NULL or a live conntrack object.
#[no_mangle]
pub unsafe extern "C" fn nfct_get_attr_u32(ct: *const nf_conntrack, r#type: CtAttrId) -> u32 {
    // SAFETY: per the contract above.
    or_errno(
        unsafe { object_attr(ct, r#type) }.and_then(|(ct, a)| ct.get_u32(a)),
        0,
    )
}

/// Returns attribute `type` read as a `uint64_t`. Returns 0 with errno
/// `ENODATA` when unset, with errno `EINVAL` for an id `>= ATTR_MAX` or
/// NULL `ct`.
///
/// # Safety
/// `ct` is NULL or a live conntrack object.
#[no_mangle]
pub unsafe extern "C" fn nfct_get_attr_u64(ct: *const nf_conntrack, r#type: CtAttrId) -> u64 {
    // SAFETY: per the contract above.
    or_errno(
        unsafe { object_attr(ct, r#type) }.and_then(|(ct, a)| ct.get_u64(a)),
        0,
    )
}

/// Returns 1 if attribute `type` is set in `ct`, 0 if not; -1 with errno
/// `EINVAL` for an id `>= ATTR_MAX` or NULL `ct`.
///
/// # Safety
/// `ct` is NULL or a live conntrack object.
#[no_mangle]
pub unsafe extern "C" fn nfct_attr_is_set(ct: *const nf_conntrack, r#type: CtAttrId) -> c_int {
    // SAFETY: per the contract above.
    let Some(ct) = (unsafe { boundary::conntrack(ct) }) else {
        return fail(Error::InvalidArgument, -1);
    };
    or_errno(
        attr_from_id(r#type.0).map(|a| c_int::from(ct.is_set(a))),
        -1,
    )
}

/// Returns 1 if all `size` attributes of `type_array` are set in `ct`, 0
/// as soon as one is not; -1 with errno `EINVAL` when an id `>= ATTR_MAX`
/// comes before any unset one. `size <= 0` gives 1. NULL `ct`, or NULL
/// `type_array` with `size > 0`: -1 with errno `EINVAL`.
///
/// # Safety
/// `ct` is NULL or a live conntrack object; `type_array` is NULL or
/// points to `size` attribute ids.
#[no_mangle]
pub unsafe extern "C" fn nfct_attr_is_set_array(
    ct: *const nf_conntrack,
    type_array: *const CtAttrId,
    size: c_int,
) -> c_int {
    // SAFETY: per the contract above.
    let Some(ct) = (unsafe { boundary::conntrack(ct) }) else {
        return fail(Error::InvalidArgument, -1);
    };
    let n = usize::try_from(size).unwrap_or(0);
    if n == 0 {
        return 1;
    }
    if type_array.is_null() {
        return fail(Error::InvalidArgument, -1);
    }
    // SAFETY: `type_array` is non-NULL and points to `size` ids.
    let ids = unsafe { std::slice::from_raw_parts(type_array, n) };
    for id in ids {
        match attr_from_id(id.0) {
            Ok(a) if ct.is_set(a) => {}
            Ok(_) => return 0,
            Err(e) => return fail(e, -1),
        }
    }
    1
}

/// Marks attribute `type` of `ct` as unset; stored data (label sets,
/// strings) stays owned by `ct`. Returns 0; -1 with errno `EINVAL` for an
/// id `>= ATTR_MAX` or NULL `ct`.
///
/// # Safety
/// `ct` is NULL or a live conntrack object.
#[no_mangle]
pub unsafe extern "C" fn nfct_attr_unset(ct: *mut nf_conntrack, r#type: CtAttrId) -> c_int {
    // SAFETY: per the contract above.
    let Some(ct) = (unsafe { boundary::conntrack_mut(ct) }) else {
        return fail(Error::InvalidArgument, -1);
    };
    or_errno(attr_from_id(r#type.0).map(|a| ct.unset(a)).map(|()| 0), -1)
}

/// Sets every attribute of group `type` from the group's struct at
/// `value` (`struct nfct_attr_grp_ipv4` and so on, see
/// `enum nf_conntrack_attr_grp`). The IPv4/IPv6 groups also set the l3
/// protocol; the counter and address groups read nothing and only mark
/// their attributes, as upstream.
///
/// Ids `>= ATTR_GRP_MAX` are ignored. NULL `ct`, or NULL `value` for a
/// group that reads it: nothing happens (errno `EINVAL`).
///
/// # Safety
/// `ct` is NULL or a live conntrack object; `value` is NULL or points to
/// the group's struct.
#[no_mangle]
pub unsafe extern "C" fn nfct_set_attr_grp(
    ct: *mut nf_conntrack,
    r#type: GrpId,
    value: *const c_void,
) {
    // SAFETY: per the contract above.
    let Some(ct) = (unsafe { boundary::conntrack_mut(ct) }) else {
        set_errno(libc::EINVAL);
        return;
    };
    let Ok(g) = Grp::from_id(r#type.0) else {
        return;
    };
    let n = g.set_len();
    if n == 0 {
        ct.set_grp(g, None);
        return;
    }
    if value.is_null() {
        set_errno(libc::EINVAL);
        return;
    }
    // SAFETY: `value` points to the group's struct, `n` bytes long.
    let b = unsafe { std::slice::from_raw_parts(value.cast::<u8>(), n) };
    ct.set_grp_bytes(g, b);
}

/// Writes the values of group `type` of `ct` into the group's struct at
/// `data`. Returns 0; -1 with errno `ENODATA` when the group is not set
/// (all of its attributes; any of them for the address groups), -1 with
/// errno `EINVAL` for an id `>= ATTR_GRP_MAX` or NULL `ct` or `data`.
///
/// # Safety
/// `ct` is NULL or a live conntrack object; `data` is NULL or points to
/// writable memory for the group's struct.
#[no_mangle]
pub unsafe extern "C" fn nfct_get_attr_grp(
    ct: *const nf_conntrack,
    r#type: GrpId,
    data: *mut c_void,
) -> c_int {
    // SAFETY: per the contract above.
    let Some(ct) = (unsafe { boundary::conntrack(ct) }) else {
        return fail(Error::InvalidArgument, -1);
    };
    let g = match Grp::from_id(r#type.0) {
        Ok(g) => g,
        Err(e) => return fail(e, -1),
    };
    let d = match ct.get_grp(g) {
        Ok(d) => d,
        Err(e) => return fail(e, -1),
    };
    if data.is_null() {
        return fail(Error::InvalidArgument, -1);
    }
    let b = d.to_bytes();
    // SAFETY: `data` points to writable memory for the group's struct,
    // whose size `b` has (Grp::data_len); the regions cannot overlap as
    // `b` is a fresh allocation.
    unsafe { std::ptr::copy_nonoverlapping(b.as_ptr(), data.cast::<u8>(), b.len()) };
    0
}

/// Returns 1 if group `type` is set in `ct` (all of its attributes; any
/// of them for the address groups), 0 if not; -1 with errno `EINVAL` for
/// an id `>= ATTR_GRP_MAX` or NULL `ct`.
///
/// # Safety
/// `ct` is NULL or a live conntrack object.
#[no_mangle]
pub unsafe extern "C" fn nfct_attr_grp_is_set(ct: *const nf_conntrack, r#type: GrpId) -> c_int {
    // SAFETY: per the contract above.
    let Some(ct) = (unsafe { boundary::conntrack(ct) }) else {
        return fail(Error::InvalidArgument, -1);
    };
    or_errno(
        Grp::from_id(r#type.0).map(|g| c_int::from(ct.grp_is_set(g))),
        -1,
    )
}

/// Marks every attribute of group `type` of `ct` as unset. Returns 0; -1
/// with errno `EINVAL` for an id `>= ATTR_GRP_MAX` or NULL `ct`.
///
/// # Safety
/// `ct` is NULL or a live conntrack object.
#[no_mangle]
pub unsafe extern "C" fn nfct_attr_grp_unset(ct: *mut nf_conntrack, r#type: GrpId) -> c_int {
    // SAFETY: per the contract above.
    let Some(ct) = (unsafe { boundary::conntrack_mut(ct) }) else {
        return fail(Error::InvalidArgument, -1);
    };
    or_errno(
        Grp::from_id(r#type.0).map(|g| ct.unset_grp(g)).map(|()| 0),
        -1,
    )
}

/// Applies object option `option` (`NFCT_SOPT_*`) to `ct`: undo source
/// or destination NAT/PAT in the reply tuple, or fill the original or
/// reply tuple from the other. Returns 0; -1 with errno `EOPNOTSUPP` for
/// an option above `NFCT_SOPT_MAX`, -1 with errno `EINVAL` for NULL `ct`.
///
/// # Safety
/// `ct` is NULL or a live conntrack object.
#[no_mangle]
pub unsafe extern "C" fn nfct_setobjopt(ct: *mut nf_conntrack, option: c_uint) -> c_int {
    // SAFETY: per the contract above.
    let Some(ct) = (unsafe { boundary::conntrack_mut(ct) }) else {
        return fail(Error::InvalidArgument, -1);
    };
    or_errno(ct.set_objopt(option).map(|()| 0), -1)
}

/// Returns 1 if object option `option` (`NFCT_GOPT_IS_SNAT/DNAT/SPAT/DPAT`)
/// holds for `ct`, 0 if not; -1 with errno `EOPNOTSUPP` for an option
/// above `NFCT_GOPT_MAX`, -1 with errno `EINVAL` for NULL `ct`.
///
/// # Safety
/// `ct` is NULL or a live conntrack object.
#[no_mangle]
pub unsafe extern "C" fn nfct_getobjopt(ct: *const nf_conntrack, option: c_uint) -> c_int {
    // SAFETY: per the contract above.
    let Some(ct) = (unsafe { boundary::conntrack(ct) }) else {
        return fail(Error::InvalidArgument, -1);
    };
    or_errno(ct.get_objopt(option).map(c_int::from), -1)
}

/// Copies into `dest` the attributes of `source` that `flags` selects:
/// `NFCT_CP_ALL` every set attribute; `NFCT_CP_ORIG`, `NFCT_CP_REPL`,
/// `NFCT_CP_META` the original tuple, the reply tuple, the rest (combine
/// freely); `NFCT_CP_OVERRIDE` makes `dest` an exact deep copy. Label
/// sets, security context and helper info are deep-copied.
///
/// NULL `dest` or `source`: nothing happens (errno `EINVAL`).
///
/// # Safety
/// `dest` and `source` are NULL or live conntrack objects (they may be
/// the same object).
#[no_mangle]
pub unsafe extern "C" fn nfct_copy(
    dest: *mut nf_conntrack,
    source: *const nf_conntrack,
    flags: c_uint,
) {
    // SAFETY: per the contract above.
    unsafe { with_pair(dest, source, |d, s| copy::copy(d, s, flags)) }
}

/// Copies attribute `type` from `source` to `dest` when it is set in
/// `source` (marking it set in `dest`); otherwise does nothing.
///
/// Ids `>= ATTR_MAX` are ignored. NULL `dest` or `source`: nothing
/// happens (errno `EINVAL`).
///
/// # Safety
/// `dest` and `source` are NULL or live conntrack objects (they may be
/// the same object).
#[no_mangle]
pub unsafe extern "C" fn nfct_copy_attr(
    dest: *mut nf_conntrack,
    source: *const nf_conntrack,
    r#type: CtAttrId,
) {
    let Ok(attr) = attr_from_id(r#type.0) else {
        return;
    };
    // SAFETY: per the contract above.
    unsafe { with_pair(dest, source, |d, s| copy::copy_attr(d, s, attr)) }
}

/// Runs `f` on `dest` and `source`; when both are the same object, on the
/// object and a copy of it.
///
/// # Safety
/// `dest` and `source` are NULL or live conntrack objects, `dest` not
/// otherwise borrowed.
unsafe fn with_pair(
    dest: *mut nf_conntrack,
    source: *const nf_conntrack,
    f: impl FnOnce(&mut Conntrack, &Conntrack),
) {
    if std::ptr::eq(dest.cast_const(), source) {
        // SAFETY: per the contract above.
        if let Some(d) = unsafe { boundary::conntrack_mut(dest) } {
            let s = copy::duplicate(d);
            f(d, &s);
        } else {
            set_errno(libc::EINVAL);
        }
        return;
    }
    // SAFETY: per the contract above; the two objects are distinct, so
    // the shared and the exclusive borrow do not alias.
    let pair = unsafe { (boundary::conntrack_mut(dest), boundary::conntrack(source)) };
    match pair {
        (Some(d), Some(s)) => f(d, s),
        _ => set_errno(libc::EINVAL),
    }
}

/// Compares `ct1` with `ct2` under `flags` (`NFCT_CMP_*`). Returns 1 if
/// they match, 0 if not. An attribute is compared only when both objects
/// have it, unless `NFCT_CMP_MASK` (attributes of `ct1` must be in `ct2`)
/// or `NFCT_CMP_STRICT` (in both) is given.
///
/// NULL `ct1` or `ct2`: returns 0 with errno `EINVAL`.
///
/// # Safety
/// `ct1` and `ct2` are NULL or live conntrack objects.
#[no_mangle]
pub unsafe extern "C" fn nfct_cmp(
    ct1: *const nf_conntrack,
    ct2: *const nf_conntrack,
    flags: c_uint,
) -> c_int {
    // SAFETY: per the contract above; both borrows are shared.
    let pair = unsafe { (boundary::conntrack(ct1), boundary::conntrack(ct2)) };
    match pair {
        (Some(a), Some(b)) => c_int::from(compare::cmp_flags(a, b, flags)),
        _ => fail(Error::InvalidArgument, 0),
    }
}

/// Deprecated form of `nfct_cmp(ct1, ct2, NFCT_CMP_ALL)`: returns 1 if
/// the objects match, 0 if not; 0 with errno `EINVAL` for a NULL pointer.
///
/// # Safety
/// `ct1` and `ct2` are NULL or live conntrack objects.
#[no_mangle]
pub unsafe extern "C" fn nfct_compare(ct1: *const nf_conntrack, ct2: *const nf_conntrack) -> c_int {
    // SAFETY: per the contract above.
    unsafe { nfct_cmp(ct1, ct2, compare::CMP_ALL) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ffi::abi::api::nfct_bitmask;
    use std::ptr::null;

    fn errno() -> i32 {
        // SAFETY: __errno_location returns the calling thread's errno.
        unsafe { *libc::__errno_location() }
    }

    fn id(a: Attr) -> CtAttrId {
        CtAttrId(a.id() as c_int)
    }

    #[test]
    #[allow(deprecated)]
    fn object_lifecycle() {
        let ct = nfct_new();
        assert!(!ct.is_null());
        // SAFETY: `ct` is live until destroyed below; every pointer passed
        // is live or NULL.
        unsafe {
            assert!(nfct_sizeof(ct) > 0);
            assert!(nfct_maxsize() >= nfct_sizeof(ct));
            nfct_set_attr_u32(ct, id(Attr::Mark), 5);
            let c = nfct_clone(ct);
            assert_eq!(nfct_get_attr_u32(c, id(Attr::Mark)), 5);
            nfct_destroy(c);
            set_errno(0);
            nfct_destroy(std::ptr::null_mut());
            assert_eq!(errno(), libc::EINVAL);
            assert!(nfct_clone(null()).is_null());
            nfct_destroy(ct);
        }
    }

    #[test]
    fn zeroed_memory_is_an_object() {
        let mut buf = vec![0u64; nfct_maxsize_words()];
        let ct = buf.as_mut_ptr().cast::<nf_conntrack>();
        // SAFETY: `buf` is zeroed, aligned and large enough for an object;
        // no heap data is stored, so not destroying it leaks nothing.
        unsafe {
            nfct_set_attr_u16(ct, id(Attr::Zone), 3);
            assert_eq!(nfct_get_attr_u16(ct, id(Attr::Zone)), 3);
        }
    }

    #[test]
    fn new_object_equals_an_empty_one() {
        let ct = nfct_new();
        // SAFETY: `ct` is a live object from nfct_new, destroyed once.
        unsafe {
            assert_eq!(*ct.cast::<Conntrack>(), Conntrack::new());
            nfct_destroy(ct);
        }
    }

    #[allow(deprecated)]
    fn nfct_maxsize_words() -> usize {
        nfct_maxsize().div_ceil(8)
    }

    #[test]
    fn pointers_and_errors() {
        let ct = nfct_new();
        // SAFETY: `ct` is live until destroyed; values point to live data.
        unsafe {
            set_errno(0);
            assert!(nfct_get_attr(ct, id(Attr::Mark)).is_null());
            assert_eq!(errno(), libc::ENODATA);
            assert_eq!(nfct_get_attr_u8(ct, CtAttrId(76)), 0);
            assert_eq!(errno(), libc::EINVAL);
            set_errno(0);
            nfct_set_attr_u32(ct, CtAttrId(-1), 1);
            assert_eq!(errno(), 0);
            assert_eq!(nfct_attr_is_set(ct, CtAttrId(1000)), -1);
            assert_eq!(nfct_attr_unset(ct, CtAttrId(76)), -1);
            let addr: [u8; 16] = [0x20, 1, 0xd, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 7];
            nfct_set_attr(ct, id(Attr::ReplIpv6Dst), addr.as_ptr().cast());
            let p = nfct_get_attr(ct, id(Attr::ReplIpv6Dst)).cast::<[u8; 16]>();
            assert_eq!(*p, addr);
            nfct_set_attr(
                ct,
                id(Attr::HelperName),
                c"a-very-long-helper-name".as_ptr().cast(),
            );
            let p = nfct_get_attr(ct, id(Attr::HelperName)).cast::<libc::c_char>();
            assert_eq!(std::ffi::CStr::from_ptr(p), c"a-very-long-hel");
            nfct_set_attr_l(ct, id(Attr::HelperInfo), [1u8, 2, 3].as_ptr().cast(), 3);
            let p = nfct_get_attr(ct, id(Attr::HelperInfo)).cast::<[u8; 3]>();
            assert_eq!(*p, [1, 2, 3]);
            set_errno(0);
            nfct_set_attr(ct, id(Attr::Secctx), c"ctx".as_ptr().cast());
            assert_eq!(nfct_attr_is_set(ct, id(Attr::Secctx)), 1);
            assert!(nfct_get_attr(ct, id(Attr::Secctx)).is_null());
            assert_eq!(errno(), 0);
            nfct_set_attr(ct, id(Attr::Mark), null());
            assert_eq!(errno(), libc::EINVAL);
            let ids = [id(Attr::Secctx), id(Attr::HelperInfo)];
            assert_eq!(nfct_attr_is_set_array(ct, ids.as_ptr(), 2), 1);
            assert_eq!(nfct_attr_is_set_array(ct, null(), 0), 1);
            assert_eq!(nfct_attr_is_set_array(ct, null(), 1), -1);
            let bad = [CtAttrId(90), id(Attr::Mark)];
            assert_eq!(nfct_attr_is_set_array(ct, bad.as_ptr(), 2), -1);
            nfct_destroy(ct);
        }
    }

    #[test]
    fn labels_change_hands() {
        let ct = nfct_new();
        let mut m = Box::new(Bitmask::new(63));
        m.set(40);
        let p = Box::into_raw(m).cast::<nfct_bitmask>();
        // SAFETY: `ct` is live; `p` is a Box<Bitmask> whose ownership moves
        // into `ct` on the first set.
        unsafe {
            nfct_set_attr(ct, id(Attr::Connlabels), p.cast());
            nfct_set_attr(ct, id(Attr::Connlabels), p.cast());
            assert_eq!(
                nfct_get_attr(ct, id(Attr::Connlabels)),
                p.cast_const().cast()
            );
            set_errno(0);
            nfct_set_attr(ct, id(Attr::ConnlabelsMask), p.cast());
            assert_eq!(errno(), libc::EINVAL);
            assert_eq!(nfct_attr_is_set(ct, id(Attr::ConnlabelsMask)), 0);
            let c = nfct_clone(ct);
            let q = nfct_get_attr(c, id(Attr::Connlabels)).cast::<Bitmask>();
            assert_ne!(q, p.cast_const().cast());
            assert!((*q).test(40));
            let r = Box::into_raw(Box::new(Bitmask::new(1)));
            nfct_set_attr(ct, id(Attr::Connlabels), r.cast_const().cast());
            assert_eq!(
                nfct_get_attr(ct, id(Attr::Connlabels)),
                r.cast_const().cast()
            );
            nfct_destroy(c);
            nfct_destroy(ct);
        }
    }

    #[test]
    fn groups_through_c_memory() {
        let ct = nfct_new();
        // SAFETY: `ct` is live; group buffers are large enough.
        unsafe {
            let v4: [u32; 2] = [0x0100_000a, 0x0200_000a];
            nfct_set_attr_grp(ct, GrpId(0), v4.as_ptr().cast());
            assert_eq!(nfct_get_attr_u8(ct, id(Attr::OrigL3Proto)), 2);
            let mut out = [0u32; 4];
            assert_eq!(nfct_get_attr_grp(ct, GrpId(0), out.as_mut_ptr().cast()), 0);
            assert_eq!(out, [0x0100_000a, 0x0200_000a, 0, 0]);
            assert_eq!(nfct_get_attr_grp(ct, GrpId(12), out.as_mut_ptr().cast()), 0);
            assert_eq!(out, [0x0100_000a, 0, 0, 0]);
            set_errno(0);
            assert_eq!(nfct_get_attr_grp(ct, GrpId(1), out.as_mut_ptr().cast()), -1);
            assert_eq!(errno(), libc::ENODATA);
            assert_eq!(
                nfct_get_attr_grp(ct, GrpId(16), out.as_mut_ptr().cast()),
                -1
            );
            assert_eq!(errno(), libc::EINVAL);
            nfct_set_attr_grp(ct, GrpId(10), null());
            assert_eq!(nfct_attr_grp_is_set(ct, GrpId(10)), 1);
            assert_eq!(nfct_attr_grp_unset(ct, GrpId(10)), 0);
            assert_eq!(nfct_attr_grp_is_set(ct, GrpId(10)), 0);
            assert_eq!(nfct_attr_grp_is_set(ct, GrpId(-1)), -1);
            nfct_destroy(ct);
        }
    }

    #[test]
    fn copy_cmp_objopt() {
        let a = nfct_new();
        let b = nfct_new();
        // SAFETY: `a` and `b` are live until destroyed.
        unsafe {
            nfct_set_attr_u32(a, id(Attr::Mark), 9);
            assert_eq!(nfct_cmp(a, b, 0), 1);
            assert_eq!(nfct_cmp(a, b, compare::CMP_MASK), 0);
            nfct_copy(b, a, copy::CP_ALL);
            assert_eq!(nfct_compare(a, b), 1);
            nfct_copy(a, a, copy::CP_OVERRIDE);
            assert_eq!(nfct_get_attr_u32(a, id(Attr::Mark)), 9);
            nfct_set_attr_u32(b, id(Attr::Timeout), 9);
            nfct_copy_attr(a, b, id(Attr::Timeout));
            assert_eq!(nfct_get_attr_u32(a, id(Attr::Timeout)), 9);
            set_errno(0);
            assert_eq!(nfct_setobjopt(a, 6), -1);
            assert_eq!(errno(), libc::EOPNOTSUPP);
            assert_eq!(nfct_getobjopt(a, 4), -1);
            assert_eq!(nfct_getobjopt(a, 0), 0);
            assert_eq!(nfct_setobjopt(a, 5), 0);
            assert_eq!(nfct_attr_is_set(a, id(Attr::ReplL3Proto)), 1);
            assert_eq!(nfct_cmp(null(), b, 0), 0);
            assert_eq!(errno(), libc::EINVAL);
            nfct_destroy(a);
            nfct_destroy(b);
        }
    }
}
