//! The typed expectation of the Rust API: a connection a helper (ftp,
//! sip, ...) expects to be opened in relation to a master connection. It
//! converts to and from the core object [`crate::expect::Expect`].
#![forbid(unsafe_code)]

use std::fmt;

use bitflags::bitflags;

#[cfg(feature = "serde")]
use serde::{Deserialize, Serialize};

use super::flow::{tuple_from_core, tuple_to_core, Tuple};
use crate::conntrack::object::{Attr, TupleHead};
use crate::expect::{ExpAttr, Expect};
use crate::Error as CoreError;

bitflags! {
    /// Expectation flags (`NF_CT_EXPECT_*`). Unknown bits are kept.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
    #[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
    #[cfg_attr(feature = "serde", serde(transparent))]
    pub struct ExpectFlags: u32 {
        /// Stays after it has been used.
        const PERMANENT = 1 << 0;
        /// Not active yet.
        const INACTIVE = 1 << 1;
        /// Created from user space.
        const USERSPACE = 1 << 2;
        const _ = !0;
    }
}

/// NAT to apply to the expected connection: the direction and the tuple.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
pub struct ExpectNat {
    /// 0 for the original direction, 1 for the reply.
    pub dir: u32,
    /// The tuple to rewrite to.
    pub tuple: Tuple,
}

/// An expectation.
///
/// [`Handle::create_expectation`](super::Handle::create_expectation) sends
/// every field that is set; the other requests identify the expectation
/// by its tuples.
///
/// ```
/// use netfilter_conntrack::ctnetlink::{Expectation, Protocol, Tuple};
///
/// let master = Tuple::new(Protocol::Tcp, "192.0.2.1:1000".parse()?, "192.0.2.2:21".parse()?);
/// let expected = Tuple::new(Protocol::Tcp, "192.0.2.2:0".parse()?, "192.0.2.1:3000".parse()?);
/// let mask = Tuple::new(Protocol::Tcp, "255.255.255.255:0".parse()?, "255.255.255.255:65535".parse()?);
/// let exp = Expectation::new(master, expected, mask).timeout(300).helper("ftp");
/// assert_eq!(exp.timeout, Some(300));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
#[non_exhaustive]
pub struct Expectation {
    /// The original tuple of the master connection.
    pub master: Tuple,
    /// The expected connection.
    pub expected: Tuple,
    /// Which bits of `expected` must match (addresses and ports as masks).
    pub mask: Tuple,
    /// Seconds until the expectation expires.
    pub timeout: Option<u32>,
    /// The zone.
    pub zone: Option<u16>,
    /// Flags.
    pub flags: Option<ExpectFlags>,
    /// The helper that set it up.
    pub helper: Option<String>,
    /// The helper's expectation class.
    pub class: Option<u32>,
    /// NAT of the expected connection.
    pub nat: Option<ExpectNat>,
    /// The expectation function (`"nat-follow-master"`).
    pub function: Option<String>,
}

impl Expectation {
    /// An expectation with its three tuples and nothing else.
    pub fn new(master: Tuple, expected: Tuple, mask: Tuple) -> Expectation {
        Expectation {
            master,
            expected,
            mask,
            timeout: None,
            zone: None,
            flags: None,
            helper: None,
            class: None,
            nat: None,
            function: None,
        }
    }

    /// With this timeout, seconds.
    #[must_use]
    pub fn timeout(mut self, seconds: u32) -> Self {
        self.timeout = Some(seconds);
        self
    }

    /// With this zone.
    #[must_use]
    pub fn zone(mut self, zone: u16) -> Self {
        self.zone = Some(zone);
        self
    }

    /// With these flags.
    #[must_use]
    pub fn flags(mut self, flags: ExpectFlags) -> Self {
        self.flags = Some(flags);
        self
    }

    /// With this helper name.
    #[must_use]
    pub fn helper(mut self, name: &str) -> Self {
        self.helper = Some(name.to_owned());
        self
    }

    /// With this class.
    #[must_use]
    pub fn class(mut self, class: u32) -> Self {
        self.class = Some(class);
        self
    }

    /// With NAT in direction `dir` to `tuple`.
    #[must_use]
    pub fn nat(mut self, dir: u32, tuple: Tuple) -> Self {
        self.nat = Some(ExpectNat { dir, tuple });
        self
    }

    /// With this expectation function.
    #[must_use]
    pub fn function(mut self, name: &str) -> Self {
        self.function = Some(name.to_owned());
        self
    }
}

fn head(t: &Tuple) -> TupleHead {
    tuple_to_core(t).head
}

fn read_head(h: &TupleHead, fallback: u8) -> Tuple {
    let family = if h.test(Attr::OrigL3Proto.id()) && h.orig.l3protonum != 0 {
        h.orig.l3protonum
    } else {
        fallback
    };
    let zone = h.test(Attr::OrigZone.id()).then_some(h.orig.zone);
    tuple_from_core(&h.orig, family, zone)
}

impl From<&Expectation> for Expect {
    fn from(e: &Expectation) -> Expect {
        let mut x = Expect::new();
        // set_tuple and set_str fail only for other attributes.
        let _ = x.set_tuple(ExpAttr::Master, &head(&e.master));
        let _ = x.set_tuple(ExpAttr::Expected, &head(&e.expected));
        let _ = x.set_tuple(ExpAttr::Mask, &head(&e.mask));
        if let Some(t) = e.timeout {
            x.set_u32(ExpAttr::Timeout, t);
        }
        if let Some(z) = e.zone {
            x.set_u16(ExpAttr::Zone, z);
        }
        if let Some(f) = e.flags {
            x.set_u32(ExpAttr::Flags, f.bits());
        }
        if let Some(h) = &e.helper {
            let _ = x.set_str(ExpAttr::HelperName, h.as_bytes());
        }
        if let Some(c) = e.class {
            x.set_u32(ExpAttr::Class, c);
        }
        if let Some(n) = &e.nat {
            let _ = x.set_tuple(ExpAttr::NatTuple, &head(&n.tuple));
            x.set_u32(ExpAttr::NatDir, n.dir);
        }
        if let Some(f) = &e.function {
            let _ = x.set_str(ExpAttr::Fn, f.as_bytes());
        }
        x
    }
}

fn cstr(field: &[u8]) -> String {
    String::from_utf8_lossy(crate::expect::attr::c_str(field)).into_owned()
}

impl TryFrom<&Expect> for Expectation {
    type Error = CoreError;

    /// Reads a core object; fails with [`CoreError::Malformed`] without a
    /// master tuple of family IPv4 or IPv6.
    fn try_from(x: &Expect) -> Result<Expectation, CoreError> {
        let family = [&x.master, &x.expected, &x.mask]
            .iter()
            .map(|h| h.orig.l3protonum)
            .find(|f| *f == crate::kernel::AF_INET || *f == crate::kernel::AF_INET6)
            .ok_or(CoreError::Malformed)?;
        if !x.is_set(ExpAttr::Master) {
            return Err(CoreError::Malformed);
        }
        let mut e = Expectation::new(
            read_head(&x.master, family),
            read_head(&x.expected, family),
            read_head(&x.mask, family),
        );
        let opt = |a: ExpAttr| x.is_set(a);
        e.timeout = opt(ExpAttr::Timeout).then_some(x.timeout);
        e.zone = opt(ExpAttr::Zone).then_some(x.zone);
        e.flags = opt(ExpAttr::Flags).then_some(ExpectFlags::from_bits_retain(x.flags));
        e.helper = opt(ExpAttr::HelperName).then(|| cstr(&x.helper_name));
        e.class = opt(ExpAttr::Class).then_some(x.class);
        if opt(ExpAttr::NatTuple) {
            e.nat = Some(ExpectNat {
                dir: x.nat_dir,
                tuple: read_head(&x.nat, family),
            });
        }
        e.function = opt(ExpAttr::Fn).then(|| cstr(&x.expectfn));
        Ok(e)
    }
}

impl fmt::Display for Expectation {
    /// The text of `nfexp_snprintf` with the default format and no flags.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_expect(f, &Expect::from(self), 0)
    }
}

/// Formats `x` as `nfexp_snprintf` does with message type `msg_type`.
pub(crate) fn write_expect(f: &mut fmt::Formatter<'_>, x: &Expect, msg_type: u32) -> fmt::Result {
    use crate::format::{snprintf_expect, UtcClock, O_DEFAULT};
    let mut buf = vec![0u8; 1024];
    loop {
        let n = snprintf_expect(&mut buf, x, msg_type, O_DEFAULT, 0, &UtcClock::default())
            .map_err(|_| fmt::Error)?;
        let Ok(n) = usize::try_from(n) else {
            return Ok(());
        };
        if n < buf.len() {
            return f.write_str(&String::from_utf8_lossy(&buf[..n]));
        }
        buf.resize(n + 1, 0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ctnetlink::Protocol;

    #[test]
    fn round_trip_through_the_core_and_the_wire() {
        let t =
            |s: &str, d: &str| Tuple::new(Protocol::Tcp, s.parse().unwrap(), d.parse().unwrap());
        let e = Expectation::new(
            t("192.0.2.1:1000", "192.0.2.2:21"),
            t("192.0.2.2:0", "192.0.2.1:3000"),
            t("255.255.255.255:0", "255.255.255.255:65535"),
        )
        .timeout(300)
        .zone(0)
        .flags(ExpectFlags::PERMANENT)
        .helper("ftp")
        .class(1)
        .nat(1, t("198.51.100.1:0", "192.0.2.1:4000"))
        .function("nat-follow-master");
        let x = Expect::from(&e);
        assert_eq!(Expectation::try_from(&x).unwrap(), e);
        let mut msg = Vec::new();
        crate::query::expect_message(0, 0, &x, &mut msg).unwrap();
        let mut back = Expect::new();
        crate::expect::parse::message(&msg, &mut back).unwrap();
        // The encoder sends what upstream's does: the tuples, timeout,
        // flags, zone and helper name.
        let mut sent = Expectation::try_from(&back).unwrap();
        assert_eq!(
            (sent.class, sent.nat, sent.function.take()),
            (None, None, None)
        );
        sent.class = e.class;
        sent.nat = e.nat;
        sent.function = e.function.clone();
        assert_eq!(sent, e);
        assert!(e
            .to_string()
            .contains("src=192.0.2.2 dst=192.0.2.1 sport=0 dport=3000"));
    }
}
