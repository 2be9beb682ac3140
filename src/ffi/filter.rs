//! Event filters (`nfct_filter_*`) and dump filters (`nfct_filter_dump_*`,
//! `nfct_nlmsg_build_filter`) of libnetfilter_conntrack.h over
//! [`crate::filter`]. Attaching is the one system call here:
//! `setsockopt(SO_ATTACH_FILTER)` with the compiled program.

use std::ffi::{c_int, c_void};

use super::abi::api::{
    nf_conntrack, nfct_filter, nfct_filter_dump, nfct_filter_dump_mark, nfct_filter_ipv4,
    nfct_filter_ipv6, nfct_filter_proto, nlmsghdr, FilterAttrId, FilterDumpAttrId, FilterLogic,
};
use super::boundary;
use crate::filter::dump::{self, DumpFilter, Tail};
use crate::filter::{self, bpf::Insn, EventFilter, Ipv4Match, Ipv6Match, MarkMatch, Value};
use crate::Error;

const _: () = assert!(std::mem::size_of::<nfct_filter_proto>() == 4);
const _: () = assert!(std::mem::align_of::<nfct_filter_proto>() == 2);
const _: () = assert!(std::mem::size_of::<nfct_filter_ipv4>() == 8);
const _: () = assert!(std::mem::size_of::<nfct_filter_ipv6>() == 32);
const _: () = assert!(std::mem::size_of::<nfct_filter_dump_mark>() == 8);
const _: () = assert!(std::mem::align_of::<nfct_filter_dump_mark>() == 4);
const _: () = assert!(std::mem::size_of::<Insn>() == std::mem::size_of::<libc::sock_filter>());

/// Mutably borrows an event filter from C.
///
/// # Safety
/// `f` is NULL or a live filter from `nfct_filter_create`, not otherwise
/// borrowed for `'a`.
unsafe fn filter_mut<'a>(f: *mut nfct_filter) -> Option<&'a mut EventFilter> {
    // SAFETY: per the contract above; as_mut maps NULL to None.
    unsafe { f.cast::<EventFilter>().as_mut() }
}

/// Mutably borrows a dump filter from C.
///
/// # Safety
/// `f` is NULL or a live dump filter, not otherwise borrowed for `'a`.
unsafe fn dump_mut<'a>(f: *mut nfct_filter_dump) -> Option<&'a mut DumpFilter> {
    // SAFETY: per the contract above; as_mut maps NULL to None.
    unsafe { f.cast::<DumpFilter>().as_mut() }
}

/// Borrows a dump filter from C, for the query builders
/// (`NFCT_Q_DUMP_FILTER`, `NFCT_Q_FLUSH_FILTER`).
///
/// # Safety
/// `f` is NULL or a live dump filter from `nfct_filter_dump_create`, not
/// mutated for `'a`.
pub unsafe fn dump_filter<'a>(f: *const nfct_filter_dump) -> Option<&'a DumpFilter> {
    // SAFETY: per the contract above; as_ref maps NULL to None.
    unsafe { f.cast::<DumpFilter>().as_ref() }
}

/// Reads a `T` from C memory that may be unaligned.
///
/// # Safety
/// `p` is non-NULL and points to `size_of::<T>()` readable bytes.
unsafe fn read<T: Copy>(p: *const c_void) -> T {
    // SAFETY: per the contract above.
    unsafe { p.cast::<T>().read_unaligned() }
}

/// Creates an empty event filter (every event passes). Never returns
/// NULL: where upstream's calloc fails with ENOMEM, allocation failure
/// aborts here.
///
/// Ownership passes to the caller; release it with `nfct_filter_destroy`.
/// Once attached, the filter may be destroyed: the kernel keeps its copy.
#[no_mangle]
pub extern "C" fn nfct_filter_create() -> *mut nfct_filter {
    Box::into_raw(Box::new(EventFilter::new())).cast()
}

/// Releases a filter made by `nfct_filter_create`. NULL is ignored
/// (upstream asserts).
///
/// # Safety
/// `filter` is NULL or a live filter from `nfct_filter_create`, not used
/// afterwards.
#[no_mangle]
pub unsafe extern "C" fn nfct_filter_destroy(filter: *mut nfct_filter) {
    if filter.is_null() {
        return;
    }
    // SAFETY: per the contract above, the pointer came from Box::into_raw
    // in nfct_filter_create and ownership comes back here.
    drop(unsafe { Box::from_raw(filter.cast::<EventFilter>()) });
}

/// Adds a value to filter attribute `type`; `value` points to an `int`
/// (L4PROTO), `struct nfct_filter_proto` (L4PROTO_STATE),
/// `struct nfct_filter_ipv4` (SRC/DST_IPV4), `struct nfct_filter_ipv6`
/// (SRC/DST_IPV6), `struct nfct_filter_dump_mark` (MARK) or `uint16_t`
/// (ZONE). Limits: 255 protocol additions, 16 states per protocol, 127
/// IPv4 addresses per direction, 20 IPv6 addresses per direction, 127
/// marks, 127 zones; values past a limit and unknown types are ignored,
/// as upstream. NULL `filter` or `value` is ignored (upstream asserts).
///
/// # Safety
/// `filter` is NULL or a live filter; `value` is NULL or points to the
/// type above.
#[no_mangle]
pub unsafe extern "C" fn nfct_filter_add_attr(
    filter: *mut nfct_filter,
    r#type: FilterAttrId,
    value: *const c_void,
) {
    // SAFETY: filter is NULL or a live filter, per this function's contract.
    let Some(f) = (unsafe { filter_mut(filter) }) else {
        return;
    };
    if value.is_null() {
        return;
    }
    let Some(attr) = u32::try_from(r#type.0).ok().and_then(filter::Attr::from_id) else {
        return;
    };
    use filter::Attr as A;
    // SAFETY (each read below): value is non-NULL and, per the contract,
    // points to the type documented for this attribute.
    let v = match attr {
        // SAFETY: see above.
        A::L4Proto => Value::L4Proto(unsafe { read::<c_int>(value) }),
        A::L4ProtoState => {
            // SAFETY: see above.
            let p = unsafe { read::<nfct_filter_proto>(value) };
            Value::L4ProtoState {
                proto: p.proto,
                state: p.state,
            }
        }
        A::SrcIpv4 | A::DstIpv4 => {
            // SAFETY: see above.
            let p = unsafe { read::<nfct_filter_ipv4>(value) };
            let m = Ipv4Match {
                addr: p.addr,
                mask: p.mask,
            };
            if attr == A::SrcIpv4 {
                Value::SrcIpv4(m)
            } else {
                Value::DstIpv4(m)
            }
        }
        A::SrcIpv6 | A::DstIpv6 => {
            // SAFETY: see above.
            let p = unsafe { read::<nfct_filter_ipv6>(value) };
            let m = Ipv6Match {
                addr: p.addr,
                mask: p.mask,
            };
            if attr == A::SrcIpv6 {
                Value::SrcIpv6(m)
            } else {
                Value::DstIpv6(m)
            }
        }
        A::Mark => {
            // SAFETY: see above.
            let p = unsafe { read::<nfct_filter_dump_mark>(value) };
            Value::Mark(MarkMatch {
                val: p.val,
                mask: p.mask,
            })
        }
        // SAFETY: see above.
        A::Zone => Value::Zone(unsafe { read::<u16>(value) }),
    };
    f.add(v);
}

/// Adds a 32-bit value to filter attribute `type`: a protocol number
/// (L4PROTO), a zone (ZONE, low 16 bits), or a `struct nfct_filter_proto`
/// packed in the word's memory (L4PROTO_STATE). Upstream reads past the
/// word for the address and mark attributes; those are ignored here.
///
/// # Safety
/// `filter` is NULL or a live filter.
#[no_mangle]
pub unsafe extern "C" fn nfct_filter_add_attr_u32(
    filter: *mut nfct_filter,
    r#type: FilterAttrId,
    value: u32,
) {
    // SAFETY: filter is NULL or a live filter, per this function's contract.
    let Some(f) = (unsafe { filter_mut(filter) }) else {
        return;
    };
    let b = value.to_ne_bytes();
    let v = match u32::try_from(r#type.0).ok().and_then(filter::Attr::from_id) {
        Some(filter::Attr::L4Proto) => Value::L4Proto(value as i32),
        Some(filter::Attr::L4ProtoState) => Value::L4ProtoState {
            proto: u16::from_ne_bytes([b[0], b[1]]),
            state: u16::from_ne_bytes([b[2], b[3]]),
        },
        Some(filter::Attr::Zone) => Value::Zone(u16::from_ne_bytes([b[0], b[1]])),
        _ => return,
    };
    f.add(v);
}

/// Sets the logic of attribute `type`: NFCT_FILTER_LOGIC_POSITIVE (the
/// default) lets matching events through, NFCT_FILTER_LOGIC_NEGATIVE
/// drops them. Returns 0; -1 with errno ENOTSUP for an unknown `type`,
/// EBUSY once a negative logic was set for `type`, EINVAL for a NULL
/// `filter` (upstream crashes).
///
/// # Safety
/// `filter` is NULL or a live filter.
#[no_mangle]
pub unsafe extern "C" fn nfct_filter_set_logic(
    filter: *mut nfct_filter,
    r#type: FilterAttrId,
    logic: FilterLogic,
) -> c_int {
    // Upstream checks the type before touching the filter.
    let attr = r#type.0 as u32;
    if filter::Attr::from_id(attr).is_none() {
        return boundary::fail(Error::NotSupported, -1);
    }
    // SAFETY: filter is NULL or a live filter, per this function's contract.
    let Some(f) = (unsafe { filter_mut(filter) }) else {
        return boundary::fail(Error::InvalidArgument, -1);
    };
    boundary::or_errno(f.set_logic(attr, logic.0 as u32).map(|()| 0), -1)
}

/// Compiles `filter` to a BPF program and attaches it to socket `fd`
/// with `setsockopt(SO_ATTACH_FILTER)`. Returns 0, or -1 with errno set
/// by `setsockopt`; EINVAL for a NULL `filter` or a filter whose program
/// the kernel would not take (too many addresses or marks for 8-bit jump
/// offsets). The filter may be destroyed afterwards.
///
/// # Safety
/// `filter` is NULL or a live filter.
#[no_mangle]
pub unsafe extern "C" fn nfct_filter_attach(fd: c_int, filter: *mut nfct_filter) -> c_int {
    // SAFETY: filter is NULL or a live filter, per this function's contract.
    let Some(f) = (unsafe { filter_mut(filter) }) else {
        return boundary::fail(Error::InvalidArgument, -1);
    };
    let prog = match filter::compile(f) {
        Ok(p) => p,
        Err(e) => return boundary::fail(e, -1),
    };
    let mut code: Vec<libc::sock_filter> = prog
        .iter()
        .map(|i| libc::sock_filter {
            code: i.code,
            jt: i.jt,
            jf: i.jf,
            k: i.k,
        })
        .collect();
    let Ok(len) = u16::try_from(code.len()) else {
        return boundary::fail(Error::InvalidArgument, -1);
    };
    let fprog = libc::sock_fprog {
        len,
        filter: code.as_mut_ptr(),
    };
    // SAFETY: fprog points to `len` initialised instructions that outlive
    // the call; the kernel copies them. A bad fd makes setsockopt fail
    // with EBADF/ENOTSOCK, nothing worse.
    unsafe {
        libc::setsockopt(
            fd,
            libc::SOL_SOCKET,
            libc::SO_ATTACH_FILTER,
            (&fprog as *const libc::sock_fprog).cast(),
            std::mem::size_of::<libc::sock_fprog>() as libc::socklen_t,
        )
    }
}

/// Removes the filter attached to socket `fd`
/// (`setsockopt(SO_DETACH_FILTER)`). Returns 0, or -1 with errno set by
/// `setsockopt` (ENOENT when none is attached).
#[no_mangle]
pub extern "C" fn nfct_filter_detach(fd: c_int) -> c_int {
    let val: c_int = 0;
    // SAFETY: the option value is a live int of the size passed.
    unsafe {
        libc::setsockopt(
            fd,
            libc::SOL_SOCKET,
            libc::SO_DETACH_FILTER,
            (&val as *const c_int).cast(),
            std::mem::size_of::<c_int>() as libc::socklen_t,
        )
    }
}

/// Creates an empty dump filter. Ownership passes to the caller; release
/// it with `nfct_filter_dump_destroy`.
#[no_mangle]
pub extern "C" fn nfct_filter_dump_create() -> *mut nfct_filter_dump {
    Box::into_raw(Box::new(DumpFilter::new())).cast()
}

/// Releases a dump filter. NULL is ignored (upstream asserts).
///
/// # Safety
/// `filter` is NULL or a live dump filter, not used afterwards.
#[no_mangle]
pub unsafe extern "C" fn nfct_filter_dump_destroy(filter: *mut nfct_filter_dump) {
    if filter.is_null() {
        return;
    }
    // SAFETY: per the contract above, the pointer came from Box::into_raw
    // in nfct_filter_dump_create.
    drop(unsafe { Box::from_raw(filter.cast::<DumpFilter>()) });
}

/// Sets dump filter attribute `type`; `data` points to a
/// `struct nfct_filter_dump_mark` (MARK, STATUS), `uint8_t` (L3NUM),
/// `uint16_t` (ZONE) or `struct nf_conntrack` (TUPLE, copied). Unknown
/// types and NULL pointers are ignored (upstream asserts on NULL).
///
/// # Safety
/// `filter_dump` is NULL or a live dump filter; `data` is NULL or points
/// to the type above.
#[no_mangle]
pub unsafe extern "C" fn nfct_filter_dump_set_attr(
    filter_dump: *mut nfct_filter_dump,
    r#type: FilterDumpAttrId,
    data: *const c_void,
) {
    // SAFETY: filter_dump is NULL or a live dump filter, per this function's contract.
    let Some(f) = (unsafe { dump_mut(filter_dump) }) else {
        return;
    };
    if data.is_null() {
        return;
    }
    let Some(attr) = u32::try_from(r#type.0).ok().and_then(dump::Attr::from_id) else {
        return;
    };
    // SAFETY (each read below): data is non-NULL and points to the type
    // documented for this attribute.
    let v = match attr {
        dump::Attr::Mark | dump::Attr::Status => {
            // SAFETY: see above.
            let m = unsafe { read::<nfct_filter_dump_mark>(data) };
            let m = MarkMatch {
                val: m.val,
                mask: m.mask,
            };
            if attr == dump::Attr::Mark {
                dump::Value::Mark(m)
            } else {
                dump::Value::Status(m)
            }
        }
        // SAFETY: see above.
        dump::Attr::L3Num => dump::Value::L3Num(unsafe { read::<u8>(data) }),
        // SAFETY: see above.
        dump::Attr::Zone => dump::Value::Zone(unsafe { read::<u16>(data) }),
        dump::Attr::Tuple => {
            // SAFETY: data points to a live conntrack object.
            let Some(ct) = (unsafe { boundary::conntrack(data.cast::<nf_conntrack>()) }) else {
                return;
            };
            dump::Value::Tuple(Box::new(ct.clone()))
        }
    };
    f.set(v);
}

/// Sets an 8-bit dump filter attribute: L3NUM, or ZONE (zero-extended).
/// Other types would make upstream read past the byte; they are ignored.
///
/// # Safety
/// `filter_dump` is NULL or a live dump filter.
#[no_mangle]
pub unsafe extern "C" fn nfct_filter_dump_set_attr_u8(
    filter_dump: *mut nfct_filter_dump,
    r#type: FilterDumpAttrId,
    data: u8,
) {
    // SAFETY: filter_dump is NULL or a live dump filter, per this function's contract.
    let Some(f) = (unsafe { dump_mut(filter_dump) }) else {
        return;
    };
    match u32::try_from(r#type.0).ok().and_then(dump::Attr::from_id) {
        Some(dump::Attr::L3Num) => f.set(dump::Value::L3Num(data)),
        Some(dump::Attr::Zone) => f.set(dump::Value::Zone(u16::from(data))),
        _ => {}
    }
}

/// Sets a 16-bit dump filter attribute: ZONE, or L3NUM (the first byte
/// of the value in memory, as upstream reads it). Other types are
/// ignored.
///
/// # Safety
/// `filter_dump` is NULL or a live dump filter.
#[no_mangle]
pub unsafe extern "C" fn nfct_filter_dump_set_attr_u16(
    filter_dump: *mut nfct_filter_dump,
    r#type: FilterDumpAttrId,
    data: u16,
) {
    // SAFETY: filter_dump is NULL or a live dump filter, per this function's contract.
    let Some(f) = (unsafe { dump_mut(filter_dump) }) else {
        return;
    };
    match u32::try_from(r#type.0).ok().and_then(dump::Attr::from_id) {
        Some(dump::Attr::Zone) => f.set(dump::Value::Zone(data)),
        Some(dump::Attr::L3Num) => f.set(dump::Value::L3Num(data.to_ne_bytes()[0])),
        _ => {}
    }
}

/// Appends the dump filter's attributes to the netlink message `nlh`
/// (CTA_MARK/CTA_MARK_MASK, CTA_STATUS/CTA_STATUS_MASK, CTA_ZONE, the
/// tuple's conntrack attributes and CTA_FILTER) and sets the
/// `nfgen_family` of its `struct nfgenmsg` from L3NUM or the tuple.
/// Returns 0; -1 with errno EINVAL when the tuple lacks its layer-3
/// protocol or contradicts L3NUM, or `nlh`/`filter_dump` is NULL. As with
/// upstream, the buffer behind `nlh` must have room for the attributes.
///
/// # Safety
/// `nlh` is NULL or points to a message of `nlmsg_len` bytes whose buffer
/// has room for the attributes; `filter_dump` is NULL or a live dump
/// filter.
#[no_mangle]
pub unsafe extern "C" fn nfct_nlmsg_build_filter(
    nlh: *mut nlmsghdr,
    filter_dump: *const nfct_filter_dump,
) -> c_int {
    // SAFETY: filter_dump is NULL or a live dump filter, only read here.
    let Some(f) = (unsafe { dump_filter(filter_dump) }) else {
        return boundary::fail(Error::InvalidArgument, -1);
    };
    if nlh.is_null() {
        return boundary::fail(Error::InvalidArgument, -1);
    }
    let base = nlh.cast::<u8>();
    // SAFETY: nlh points to a message, which starts with the 16-byte
    // nlmsghdr followed by the 4-byte nfgenmsg.
    let (len, family) = unsafe { (base.cast::<u32>().read_unaligned(), base.add(16).read()) };
    let mut tail = Tail {
        family,
        bytes: Vec::new(),
    };
    let r = f.build(&mut tail);
    let start = (len as usize).next_multiple_of(4);
    // Upstream leaves what it wrote before an error in place; so do we.
    // SAFETY: the caller's buffer has room for the appended attributes
    // after the aligned end of the message, as the C contract requires.
    unsafe {
        std::ptr::copy_nonoverlapping(tail.bytes.as_ptr(), base.add(start), tail.bytes.len());
        base.add(16).write(tail.family);
        base.cast::<u32>()
            .write_unaligned(len.wrapping_add(tail.bytes.len() as u32));
    }
    boundary::or_errno(r.map(|()| 0), -1)
}
