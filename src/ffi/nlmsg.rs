//! The libmnl-style netlink API: `nfct_nlmsg_build`, `nfct_nlmsg_parse`,
//! `nfct_payload_parse`, `nfexp_nlmsg_build`, `nfexp_nlmsg_parse`
//! (upstream src/conntrack/build_mnl.c, parse_mnl.c and their expect
//! counterparts).
//!
//! The builders append attributes at the end of a message whose header the
//! caller wrote, without knowing the size of the buffer, exactly as
//! upstream does: the caller must provide room. A few hundred bytes cover
//! every fixed-size attribute; labels and helper data add their own size.

use std::ffi::{c_int, c_void};

use super::abi::api::{nf_conntrack, nf_expect};
use super::boundary;
use crate::netlink::attr::align;
use crate::netlink::message::NFNL_HDRLEN;
use crate::{conntrack, expect, Error, Result};

/// `struct nlmsghdr` of <linux/netlink.h>. The installed header takes it
/// from there (through libnfnetlink's header), so it is not emitted.
/// cbindgen:no-export
#[repr(C)]
pub struct nlmsghdr {
    pub nlmsg_len: u32,
    pub nlmsg_type: u16,
    pub nlmsg_flags: u16,
    pub nlmsg_seq: u32,
    pub nlmsg_pid: u32,
}

/// Runs `build` into a scratch vector and appends the bytes it produced at
/// the aligned end of the message, growing `nlmsg_len` by their length
/// (also when `build` fails part way, as upstream leaves the message).
///
/// # Safety
/// `nlh` is non-NULL, points to a message header, and the buffer holding it
/// has room for the appended attributes.
pub(crate) unsafe fn append(
    nlh: *mut nlmsghdr,
    build: impl FnOnce(&mut Vec<u8>) -> Result<()>,
) -> c_int {
    // A scratch vector per thread, kept between calls: building a
    // message allocates nothing once it has grown to a message's size.
    thread_local! {
        static SCRATCH: std::cell::Cell<Vec<u8>> = const { std::cell::Cell::new(Vec::new()) };
    }
    // During thread teardown the scratch may be gone: a fresh vector then.
    let mut attrs = SCRATCH.try_with(|c| c.take()).unwrap_or_default();
    attrs.clear();
    let r = build(&mut attrs);
    // SAFETY: nlh points to a readable header per the contract.
    let len = unsafe { (*nlh).nlmsg_len };
    let start = align(len as usize);
    if !attrs.is_empty() {
        // SAFETY: the caller guarantees room after the message for what the
        // builder appends; the source is our own vector, which cannot
        // overlap the caller's buffer.
        unsafe {
            let dst = nlh.cast::<u8>().add(start);
            std::ptr::copy_nonoverlapping(attrs.as_ptr(), dst, attrs.len());
        }
        // Attribute payloads are bounded by 16-bit lengths and the builders
        // emit a bounded number of them, so this cannot wrap in practice;
        // wrapping_add keeps it defined regardless.
        // SAFETY: as above, the header is writable.
        unsafe { (*nlh).nlmsg_len = len.wrapping_add(attrs.len() as u32) };
    }
    let _ = SCRATCH.try_with(|c| c.set(attrs));
    match r {
        Ok(()) => 0,
        Err(e) => boundary::fail(e, -1),
    }
}

/// Borrows the whole message `nlh` as bytes.
///
/// # Safety
/// `nlh` is non-NULL and points to a message of `nlmsg_len` readable bytes.
pub(crate) unsafe fn message_bytes<'a>(nlh: *const nlmsghdr) -> Result<&'a [u8]> {
    // SAFETY: nlh points to a readable header per the contract.
    let len = unsafe { (*nlh).nlmsg_len } as usize;
    // Upstream computes the payload length as nlmsg_len - 20 without a
    // check; a shorter message is refused here instead.
    if len < NFNL_HDRLEN {
        return Err(Error::InvalidArgument);
    }
    // SAFETY: the caller guarantees nlmsg_len readable bytes at nlh.
    Ok(unsafe { std::slice::from_raw_parts(nlh.cast::<u8>(), len) })
}

/// Appends the ctnetlink attributes of `ct` to the message `nlh`, after its
/// header and `struct nfgenmsg`, and grows `nlh->nlmsg_len` accordingly.
///
/// Returns 0, or -1 with errno `EINVAL` when `ATTR_ORIG_L3PROTO` is not set
/// (nothing is appended) or a tuple to be sent has a layer-3 protocol other
/// than `AF_INET`/`AF_INET6` (what preceded that tuple stays appended; upstream
/// leaves errno unchanged in this case). The buffer holding `nlh` must have
/// room for the attributes: like upstream, the function cannot check.
/// NULL `nlh` or `ct`: -1 with errno `EINVAL`.
///
/// # Safety
/// `nlh` is NULL or points to a writable message header followed by enough
/// writable space; `ct` is NULL or a live conntrack object.
#[no_mangle]
pub unsafe extern "C" fn nfct_nlmsg_build(nlh: *mut nlmsghdr, ct: *const nf_conntrack) -> c_int {
    // SAFETY: ct is NULL or a live object per the contract.
    let Some(ct) = (unsafe { boundary::conntrack(ct) }) else {
        return boundary::fail(Error::InvalidArgument, -1);
    };
    if nlh.is_null() {
        return boundary::fail(Error::InvalidArgument, -1);
    }
    // SAFETY: nlh is non-NULL and has room per the contract.
    unsafe { append(nlh, |v| conntrack::build::put_attrs(ct, v)) }
}

/// Reads the conntrack message `nlh` (header, `struct nfgenmsg`,
/// attributes) into `ct`, which keeps the attributes the message lacks.
///
/// Returns 0, or -1 with errno `EINVAL` when `nlh` or `ct` is NULL,
/// `nlmsg_len` is shorter than the two headers, or a known attribute has
/// the wrong size (upstream terminates the process in that last case).
///
/// # Safety
/// `nlh` is NULL or points to `nlmsg_len` readable bytes; `ct` is NULL or a
/// live conntrack object not otherwise borrowed.
#[no_mangle]
pub unsafe extern "C" fn nfct_nlmsg_parse(nlh: *const nlmsghdr, ct: *mut nf_conntrack) -> c_int {
    // SAFETY: ct is NULL or a live, unaliased object per the contract.
    let Some(ct) = (unsafe { boundary::conntrack_mut(ct) }) else {
        return boundary::fail(Error::InvalidArgument, -1);
    };
    if nlh.is_null() {
        return boundary::fail(Error::InvalidArgument, -1);
    }
    // SAFETY: nlh is non-NULL and readable for nlmsg_len bytes.
    let r = unsafe { message_bytes(nlh) }.and_then(|m| conntrack::parse::message(m, ct));
    boundary::or_errno(r.map(|()| 0), -1)
}

/// Reads the ctnetlink attributes `payload[0..payload_len]` (what follows
/// `struct nfgenmsg`) into `ct`; `l3num` is the family of the message
/// (stored in 8 bits, as upstream does).
///
/// Returns 0, or -1 with errno `EINVAL` when `ct` is NULL, `payload` is
/// NULL with a non-zero length, or a known attribute has the wrong size.
///
/// # Safety
/// `payload` is NULL or points to `payload_len` readable bytes; `ct` is
/// NULL or a live conntrack object not otherwise borrowed.
#[no_mangle]
pub unsafe extern "C" fn nfct_payload_parse(
    payload: *const c_void,
    payload_len: usize,
    l3num: u16,
    ct: *mut nf_conntrack,
) -> c_int {
    // SAFETY: ct is NULL or a live, unaliased object per the contract.
    let Some(ct) = (unsafe { boundary::conntrack_mut(ct) }) else {
        return boundary::fail(Error::InvalidArgument, -1);
    };
    let bytes: &[u8] = if payload_len == 0 {
        &[]
    } else if payload.is_null() {
        return boundary::fail(Error::InvalidArgument, -1);
    } else {
        // SAFETY: payload is non-NULL and readable for payload_len bytes.
        unsafe { std::slice::from_raw_parts(payload.cast::<u8>(), payload_len) }
    };
    let r = conntrack::parse::payload(bytes, l3num as u8, ct);
    boundary::or_errno(r.map(|()| 0), -1)
}

/// Appends the ctnetlink attributes of `exp` to the message `nlh` and grows
/// `nlh->nlmsg_len`. Sends the expected, master and mask tuples, timeout,
/// flags, zone and helper name when set; a tuple whose layer-3 protocol is
/// not `AF_INET`/`AF_INET6` is left out.
///
/// Returns 0; -1 with errno `EINVAL` when `nlh` or `exp` is NULL. The
/// buffer must have room for the attributes.
///
/// # Safety
/// `nlh` is NULL or points to a writable message header followed by enough
/// writable space; `exp` is NULL or a live expectation.
#[no_mangle]
pub unsafe extern "C" fn nfexp_nlmsg_build(nlh: *mut nlmsghdr, exp: *const nf_expect) -> c_int {
    // SAFETY: exp is NULL or a live object per the contract.
    let Some(exp) = (unsafe { boundary::expect(exp) }) else {
        return boundary::fail(Error::InvalidArgument, -1);
    };
    if nlh.is_null() {
        return boundary::fail(Error::InvalidArgument, -1);
    }
    // SAFETY: nlh is non-NULL and has room per the contract.
    unsafe { append(nlh, |v| expect::build::put_attrs(exp, v)) }
}

/// Reads the expectation message `nlh` into `exp`.
///
/// Returns 0, or -1 with errno `EINVAL` when `nlh` or `exp` is NULL,
/// `nlmsg_len` is shorter than the two headers, a known attribute has the
/// wrong size, or the expectation function name is longer than 24 bytes
/// (upstream terminates the process in the last two cases).
///
/// # Safety
/// `nlh` is NULL or points to `nlmsg_len` readable bytes; `exp` is NULL or
/// a live expectation not otherwise borrowed.
#[no_mangle]
pub unsafe extern "C" fn nfexp_nlmsg_parse(nlh: *const nlmsghdr, exp: *mut nf_expect) -> c_int {
    // SAFETY: exp is NULL or a live, unaliased object per the contract.
    let Some(exp) = (unsafe { boundary::expect_mut(exp) }) else {
        return boundary::fail(Error::InvalidArgument, -1);
    };
    if nlh.is_null() {
        return boundary::fail(Error::InvalidArgument, -1);
    }
    // SAFETY: nlh is non-NULL and readable for nlmsg_len bytes.
    let r = unsafe { message_bytes(nlh) }.and_then(|m| expect::parse::message(m, exp));
    boundary::or_errno(r.map(|()| 0), -1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conntrack::build::fixtures::tcp4_full;
    use crate::conntrack::Conntrack;
    use crate::expect::build::fixtures::exp_full;
    use crate::expect::Expect;
    use crate::netlink::message::{start, Header, NfGenMsg};
    use std::ptr;

    fn errno() -> i32 {
        // SAFETY: __errno_location returns the calling thread's errno.
        unsafe { *libc::__errno_location() }
    }

    /// A 4-aligned buffer holding a conntrack message header and nfgenmsg.
    fn buffer() -> Vec<u32> {
        let mut bytes = Vec::new();
        start(
            &mut bytes,
            &Header::new(1, 0, 1, 1, 0),
            &NfGenMsg {
                family: 2,
                ..Default::default()
            },
        );
        bytes[0] = NFNL_HDRLEN as u8;
        let mut words = vec![0u32; 1024];
        for (i, c) in bytes.chunks(4).enumerate() {
            words[i] = u32::from_ne_bytes(c.try_into().unwrap());
        }
        words
    }

    fn bytes(words: &[u32]) -> Vec<u8> {
        let len = words[0] as usize;
        words
            .iter()
            .flat_map(|w| w.to_ne_bytes())
            .take(len)
            .collect()
    }

    #[test]
    fn build_appends_and_parse_reads_back() {
        let ct = tcp4_full();
        let mut buf = buffer();
        let nlh = buf.as_mut_ptr().cast::<nlmsghdr>();
        let ctp = (&ct as *const Conntrack).cast::<nf_conntrack>();
        // SAFETY: nlh heads a 4 KiB buffer; ct is a live object.
        assert_eq!(unsafe { nfct_nlmsg_build(nlh, ctp) }, 0);
        let msg = bytes(&buf);
        let mut attrs = Vec::new();
        conntrack::build::put_attrs(&ct, &mut attrs).unwrap();
        assert_eq!(msg.len(), NFNL_HDRLEN + attrs.len());
        assert_eq!(&msg[NFNL_HDRLEN..], &attrs[..]);

        let mut back = Box::new(Conntrack::new());
        let backp = (&mut *back as *mut Conntrack).cast::<nf_conntrack>();
        // SAFETY: nlh holds nlmsg_len valid bytes; back is live and unaliased.
        assert_eq!(unsafe { nfct_nlmsg_parse(nlh, backp) }, 0);
        assert_eq!(back.head.orig, ct.head.orig);
        assert_eq!(back.mark, ct.mark);

        let mut again = Conntrack::new();
        let againp = (&mut again as *mut Conntrack).cast::<nf_conntrack>();
        // SAFETY: attrs is a live slice; again is live and unaliased.
        let r = unsafe { nfct_payload_parse(attrs.as_ptr().cast(), attrs.len(), 0x0102, againp) };
        assert_eq!(r, 0);
        // The family is kept in 8 bits.
        assert_eq!(again.head.orig.l3protonum, 2);
        assert_eq!(again.mark, ct.mark);
    }

    #[test]
    fn build_failure_sets_errno_and_keeps_length() {
        let ct = Conntrack::new();
        let mut buf = buffer();
        let nlh = buf.as_mut_ptr().cast::<nlmsghdr>();
        let ctp = (&ct as *const Conntrack).cast::<nf_conntrack>();
        // SAFETY: as above.
        assert_eq!(unsafe { nfct_nlmsg_build(nlh, ctp) }, -1);
        assert_eq!(errno(), libc::EINVAL);
        assert_eq!(buf[0], NFNL_HDRLEN as u32);
    }

    #[test]
    fn null_pointers_fail_with_einval() {
        let mut ct = Conntrack::new();
        let ctp = (&mut ct as *mut Conntrack).cast::<nf_conntrack>();
        let mut buf = buffer();
        let nlh = buf.as_mut_ptr().cast::<nlmsghdr>();
        // SAFETY: every pointer is NULL or valid.
        unsafe {
            assert_eq!(nfct_nlmsg_build(ptr::null_mut(), ctp), -1);
            assert_eq!(errno(), libc::EINVAL);
            assert_eq!(nfct_nlmsg_build(nlh, ptr::null()), -1);
            assert_eq!(nfct_nlmsg_build(nlh, ctp), -1);
            assert_eq!(nfct_nlmsg_parse(ptr::null(), ctp), -1);
            assert_eq!(nfct_nlmsg_parse(nlh, ptr::null_mut()), -1);
            assert_eq!(nfct_payload_parse(ptr::null(), 4, 2, ctp), -1);
            assert_eq!(nfct_payload_parse(ptr::null(), 0, 2, ptr::null_mut()), -1);
            assert_eq!(errno(), libc::EINVAL);
            // An empty payload is fine, even from NULL.
            assert_eq!(nfct_payload_parse(ptr::null(), 0, 2, ctp), 0);
            assert_eq!(nfexp_nlmsg_build(ptr::null_mut(), ptr::null()), -1);
            assert_eq!(nfexp_nlmsg_build(nlh, ptr::null()), -1);
            assert_eq!(nfexp_nlmsg_parse(nlh, ptr::null_mut()), -1);
            assert_eq!(nfexp_nlmsg_parse(ptr::null(), ptr::null_mut()), -1);
            assert_eq!(errno(), libc::EINVAL);
        }
    }

    #[test]
    fn short_messages_are_refused() {
        let mut ct = Conntrack::new();
        let ctp = (&mut ct as *mut Conntrack).cast::<nf_conntrack>();
        let mut buf = buffer();
        buf[0] = 19;
        let nlh = buf.as_ptr().cast::<nlmsghdr>();
        // SAFETY: nlh points to 19 (and more) readable bytes.
        assert_eq!(unsafe { nfct_nlmsg_parse(nlh, ctp) }, -1);
        assert_eq!(errno(), libc::EINVAL);
    }

    #[test]
    fn expectation_round_trip() {
        let exp = exp_full();
        let mut buf = buffer();
        let nlh = buf.as_mut_ptr().cast::<nlmsghdr>();
        let ep = (&exp as *const Expect).cast::<nf_expect>();
        // SAFETY: nlh heads a 4 KiB buffer; exp is live.
        assert_eq!(unsafe { nfexp_nlmsg_build(nlh, ep) }, 0);
        assert!(buf[0] as usize > NFNL_HDRLEN);
        let mut back = Expect::new();
        let bp = (&mut back as *mut Expect).cast::<nf_expect>();
        // SAFETY: the message is complete; back is live and unaliased.
        assert_eq!(unsafe { nfexp_nlmsg_parse(nlh, bp) }, 0);
        assert_eq!(back.master, exp.master);
        assert_eq!(back.timeout, exp.timeout);
        assert_eq!(back.helper_name, exp.helper_name);
    }
}
