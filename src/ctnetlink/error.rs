//! The error of the Rust API: the core's [`crate::Error`] (and so the
//! errno the kernel or the system answered with), plus the kernel's
//! extended acknowledgement message when it sent one.
//!
//! It wraps the core error rather than extending it, so that the core
//! error stays `Copy` and the C layer's errno mapping is untouched.
#![forbid(unsafe_code)]

use std::fmt;
use std::io;

/// What went wrong in a call of the Rust API.
///
/// ```
/// use netfilter_conntrack::ctnetlink::Error;
///
/// let e = Error::from(netfilter_conntrack::Error::Os(libc::ENOENT));
/// assert_eq!(e.errno(), libc::ENOENT);
/// assert!(e.is_not_found());
/// assert_eq!(e.ext_ack(), None);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    core: crate::Error,
    ext_ack: Option<String>,
}

impl Error {
    /// An error with the kernel's extended-ack message `msg`.
    pub fn with_ext_ack(core: crate::Error, msg: Option<String>) -> Error {
        Error { core, ext_ack: msg }
    }

    /// The core error.
    pub fn core(&self) -> crate::Error {
        self.core
    }

    /// The errno: the kernel's answer (`ENOENT`, `EEXIST`, `EPERM`, ...)
    /// or the one that stands for a local failure (`EINVAL`, `ENOSPC`).
    pub fn errno(&self) -> i32 {
        self.core.errno()
    }

    /// The message of the kernel's extended acknowledgement
    /// (`NLMSGERR_ATTR_MSG`), when the kernel gave one.
    pub fn ext_ack(&self) -> Option<&str> {
        self.ext_ack.as_deref()
    }

    /// Whether the kernel has no such entry (`ENOENT`).
    pub fn is_not_found(&self) -> bool {
        self.errno() == libc::ENOENT
    }

    /// Whether the entry exists already (`EEXIST`).
    pub fn is_exists(&self) -> bool {
        self.errno() == libc::EEXIST
    }

    /// Whether a receive timed out or would block (`EAGAIN`).
    pub fn is_timeout(&self) -> bool {
        self.errno() == libc::EAGAIN
    }
}

impl From<crate::Error> for Error {
    fn from(core: crate::Error) -> Error {
        Error {
            core,
            ext_ack: None,
        }
    }
}

impl From<nix::errno::Errno> for Error {
    fn from(e: nix::errno::Errno) -> Error {
        Error::from(crate::Error::Os(e as i32))
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.core {
            crate::Error::Os(e) => write!(f, "{}", io::Error::from_raw_os_error(e))?,
            other => write!(f, "{other}")?,
        }
        if let Some(m) = &self.ext_ack {
            write!(f, ": {m}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Error {}

impl From<Error> for io::Error {
    fn from(e: Error) -> io::Error {
        let kind = io::Error::from_raw_os_error(e.errno()).kind();
        io::Error::new(kind, e)
    }
}

/// Result of the Rust API.
pub type Result<T> = std::result::Result<T, Error>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_and_io() {
        let e = Error::with_ext_ack(
            crate::Error::Os(libc::EINVAL),
            Some("Attribute failed policy validation".into()),
        );
        assert_eq!(
            e.to_string(),
            "Invalid argument (os error 22): Attribute failed policy validation"
        );
        let io: io::Error = e.into();
        assert_eq!(io.kind(), io::ErrorKind::InvalidInput);
        assert_eq!(Error::from(crate::Error::NoSpace).errno(), libc::ENOSPC);
    }
}
