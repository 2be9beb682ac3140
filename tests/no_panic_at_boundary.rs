//! No panic reaches C. The library is built with `panic = "abort"`, and a
//! panic inside an `extern "C"` export could not unwind into C anyway (Rust
//! aborts at such a boundary). Either way a panic would kill the caller's
//! process, so the exports must not panic at all: these tests call them,
//! as C would, with inputs that reach the paths where careless arithmetic,
//! indexing or recursion would panic (lengths that underflow, sizes that
//! overflow, negative and huge ids, a message nested as deep as netlink
//! allows, every attribute type), and check that each returns its
//! documented error instead. `catch_unwind` turns a panic into a test
//! failure with a message rather than a crash of the test binary.

use std::ffi::{c_char, c_void};
use std::panic::catch_unwind;

use netfilter_conntrack::ffi::abi::api::CtAttrId;
use netfilter_conntrack::ffi::conntrack::{nfct_destroy, nfct_get_attr, nfct_new};
use netfilter_conntrack::ffi::expect::{nfexp_destroy, nfexp_new};
use netfilter_conntrack::ffi::labels::{
    nfct_bitmask_destroy, nfct_bitmask_new, nfct_bitmask_set_bit, nfct_bitmask_test_bit,
};
use netfilter_conntrack::ffi::nlmsg::{
    nfct_nlmsg_parse, nfct_payload_parse, nfexp_nlmsg_parse, nlmsghdr,
};
use netfilter_conntrack::ffi::snprintf::nfct_snprintf;

fn errno() -> i32 {
    std::io::Error::last_os_error().raw_os_error().unwrap_or(0)
}

fn set_errno(e: i32) {
    // SAFETY: __errno_location returns the calling thread's errno.
    unsafe { *libc::__errno_location() = e };
}

/// A message buffer, 8-byte aligned as C would allocate it.
struct Msg(Vec<u64>);

impl Msg {
    fn new(bytes: &[u8]) -> Msg {
        let mut words = vec![0u64; bytes.len().div_ceil(8) + 1];
        for (i, b) in bytes.iter().enumerate() {
            let w = &mut words[i / 8];
            *w |= u64::from(*b) << (8 * (i % 8));
        }
        Msg(words)
    }
    fn nlh(&self) -> *const nlmsghdr {
        self.0.as_ptr().cast()
    }
}

/// nlmsghdr (length filled in) + nfgenmsg for `family`, then `attrs`.
fn message(ty: u16, family: u8, attrs: &[u8]) -> Vec<u8> {
    let len = (20 + attrs.len()) as u32;
    let mut m = Vec::new();
    m.extend_from_slice(&len.to_ne_bytes());
    m.extend_from_slice(&ty.to_ne_bytes());
    m.extend_from_slice(&[0; 10]);
    m.extend_from_slice(&[family, 0, 0, 0]);
    m.extend_from_slice(attrs);
    m
}

fn attr(ty: u16, payload: &[u8]) -> Vec<u8> {
    let mut a = Vec::new();
    a.extend_from_slice(&((4 + payload.len()) as u16).to_ne_bytes());
    a.extend_from_slice(&ty.to_ne_bytes());
    a.extend_from_slice(payload);
    while a.len() % 4 != 0 {
        a.push(0);
    }
    a
}

/// Parses `bytes` as a conntrack and as an expectation message; returns
/// both results.
fn parse_both(bytes: &[u8]) -> (i32, i32) {
    let m = Msg::new(bytes);
    let ct = nfct_new();
    let exp = nfexp_new();
    // SAFETY: m holds nlmsg_len readable bytes; ct and exp are live.
    let r = unsafe {
        (
            nfct_nlmsg_parse(m.nlh(), ct),
            nfexp_nlmsg_parse(m.nlh(), exp),
        )
    };
    // SAFETY: made by nfct_new / nfexp_new above, freed once.
    unsafe {
        nfct_destroy(ct);
        nfexp_destroy(exp);
    }
    r
}

#[test]
fn the_library_aborts_on_panic() {
    let toml = include_str!("../Cargo.toml");
    let release = toml
        .split("[profile.release]")
        .nth(1)
        .expect("a release profile");
    let release = release.split("\n[").next().unwrap_or_default();
    assert!(release.contains("panic = \"abort\""), "{release}");
}

#[test]
fn nesting_as_deep_as_netlink_allows() {
    let r = catch_unwind(|| {
        // Every top-level type, each holding a chain of nests down to the
        // 64 KiB limit of nla_len: 16k levels, all flagged NLA_F_NESTED.
        for top in 0..32u16 {
            let levels = 16_000usize;
            let mut inner = Vec::with_capacity(4 * levels);
            for i in 0..levels {
                let len = (4 * (levels - i)) as u16;
                inner.extend_from_slice(&len.to_ne_bytes());
                inner.extend_from_slice(&(0x8000 | (i as u16 % 8)).to_ne_bytes());
            }
            let msg = message(0x0100, 2, &attr(0x8000 | top, &inner));
            let (ct, exp) = parse_both(&msg);
            assert!(ct == 0 || ct == -1, "type {top}: {ct}");
            assert!(exp == 0 || exp == -1, "type {top}: {exp}");
        }
    });
    assert!(r.is_ok(), "a parse panicked");
}

#[test]
fn every_attribute_type_and_size() {
    let r = catch_unwind(|| {
        // Types 0..64 at top level and inside each known nest, with
        // payloads of 0..=17 bytes: wrong sizes must fail with EINVAL.
        for ty in 0..64u16 {
            for len in 0..=17usize {
                let payload: Vec<u8> = (0..len as u8).collect();
                let a = attr(ty, &payload);
                for nest in [0u16, 1, 2, 3, 4, 5, 9, 10, 13, 15, 16, 19, 20, 24] {
                    let body = if nest == 0 {
                        a.clone()
                    } else {
                        attr(0x8000 | nest, &a)
                    };
                    let msg = message(0x0100, 10, &body);
                    set_errno(0);
                    let (ct, exp) = parse_both(&msg);
                    for r in [ct, exp] {
                        assert!(
                            r == 0 || (r == -1 && errno() == libc::EINVAL),
                            "{ty} {len} {nest}: {r}"
                        );
                    }
                }
            }
        }
    });
    assert!(r.is_ok(), "a parse panicked");
}

#[test]
fn lengths_that_would_underflow() {
    let r = catch_unwind(|| {
        // nlmsg_len below the two headers (len - 20 would underflow).
        for len in [0u32, 1, 15, 16, 19] {
            let mut msg = message(0x0100, 2, &[]);
            msg[..4].copy_from_slice(&len.to_ne_bytes());
            set_errno(0);
            assert_eq!(parse_both(&msg), (-1, -1), "nlmsg_len {len}");
            assert_eq!(errno(), libc::EINVAL);
        }
        // Attribute lengths below their header, past the message, odd.
        for bad in [0u16, 1, 3, 5, 0xffff] {
            let mut a = attr(1, &[0; 8]);
            a[..2].copy_from_slice(&bad.to_ne_bytes());
            let (ct, exp) = parse_both(&message(0x0100, 2, &a));
            assert!(ct >= -1 && exp >= -1);
        }
        // A payload of length 0 with a non-NULL pointer, and a NULL one.
        let ct = nfct_new();
        let byte = 0u8;
        // SAFETY: a zero length reads nothing; ct is live.
        unsafe {
            assert_eq!(
                nfct_payload_parse((&byte as *const u8).cast::<c_void>(), 0, 2, ct),
                0
            );
            assert_eq!(nfct_payload_parse(std::ptr::null(), 0, 0xffff, ct), 0);
            nfct_destroy(ct);
        }
    });
    assert!(r.is_ok(), "a length check panicked");
}

#[test]
fn sizes_and_ids_that_would_overflow() {
    let r = catch_unwind(|| {
        // maxbit + 1 overflows u32.
        set_errno(0);
        assert!(nfct_bitmask_new(u32::MAX).is_null());
        let b = nfct_bitmask_new(100);
        // SAFETY: b is a live bitmask; bits past it are documented no-ops.
        unsafe {
            for bit in [127, 128, 1 << 20, u32::MAX - 31, u32::MAX] {
                nfct_bitmask_set_bit(b, bit);
                assert_eq!(
                    nfct_bitmask_test_bit(b, bit),
                    i32::from(bit == 127),
                    "bit {bit}"
                );
            }
            nfct_bitmask_destroy(b);
        }
        // Ids that are negative or past the table as C ints.
        let ct = nfct_new();
        for id in [-1, i32::MIN, 76, 77, i32::MAX] {
            set_errno(0);
            // SAFETY: ct is live.
            let p = unsafe { nfct_get_attr(ct, CtAttrId(id)) };
            assert!(p.is_null());
            assert_eq!(errno(), libc::EINVAL, "id {id}");
        }
        // Output types and flags with every bit set; a buffer of 1 byte.
        let mut buf = [0x55 as c_char; 8];
        for (size, out, flags) in [(1u32, 0u32, u32::MAX), (1, 1, u32::MAX), (8, u32::MAX, 0)] {
            // SAFETY: buf has 8 writable bytes, size <= 8; ct is live.
            let r = unsafe { nfct_snprintf(buf.as_mut_ptr(), size, ct, u32::MAX, out, flags) };
            assert!(r >= -1, "{r}");
            assert!(
                buf[1..].iter().all(|&c| c == 0x55),
                "written past the buffer"
            );
        }
        // SAFETY: made by nfct_new above.
        unsafe { nfct_destroy(ct) };
    });
    assert!(r.is_ok(), "an overflow path panicked");
}
