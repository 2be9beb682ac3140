//! The one error type of the core, and the errno each variant stands for.
#![forbid(unsafe_code)]

use std::fmt;

/// What can go wrong in the core. The C layer turns it into a return
/// value plus `errno`; Rust callers match on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Error {
    /// An argument is out of range or malformed (`EINVAL`).
    InvalidArgument,
    /// The attribute asked for is not set (`ENODATA`).
    NotSet,
    /// The destination buffer is too small (`ENOSPC`).
    NoSpace,
    /// A message or attribute does not have the shape it must have (`EINVAL`).
    Malformed,
    /// The operation is not supported for this object (`EOPNOTSUPP`).
    NotSupported,
    /// The kernel or the system answered with this errno.
    Os(i32),
}

impl Error {
    /// The `errno` value upstream sets for this error.
    pub fn errno(&self) -> i32 {
        match self {
            Error::InvalidArgument | Error::Malformed => libc::EINVAL,
            Error::NotSet => libc::ENODATA,
            Error::NoSpace => libc::ENOSPC,
            Error::NotSupported => libc::EOPNOTSUPP,
            Error::Os(e) => *e,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::InvalidArgument => f.write_str("invalid argument"),
            Error::NotSet => f.write_str("attribute not set"),
            Error::NoSpace => f.write_str("no space left in buffer"),
            Error::Malformed => f.write_str("malformed message"),
            Error::NotSupported => f.write_str("operation not supported"),
            Error::Os(e) => write!(f, "os error {e}"),
        }
    }
}

impl std::error::Error for Error {}

/// Result of the core.
pub type Result<T> = std::result::Result<T, Error>;
