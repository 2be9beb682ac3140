//! Shared by the Rust API's kernel tests: running a test inside a fresh
//! network namespace, and a few flows.
#![allow(dead_code)]

use std::net::SocketAddr;

use netfilter_conntrack::ctnetlink::{Flow, Protocol, TcpState, Tuple};
use nix::sched::{unshare, CloneFlags};

/// Runs `f` on a thread of its own that first moves to a new, empty
/// network namespace, so the host's table is never seen nor touched.
/// Returns `None` (the test is skipped, and says why) where that is not
/// permitted, except under CI (`CI` set), where it fails.
pub fn in_netns<R: Send>(f: impl FnOnce() -> R + Send) -> Option<R> {
    std::thread::scope(|s| {
        s.spawn(|| match unshare(CloneFlags::CLONE_NEWNET) {
            Ok(()) => Some(f()),
            Err(e) if std::env::var_os("CI").is_none() => {
                eprintln!("skipped: unshare(CLONE_NEWNET) failed ({e}); needs CAP_SYS_ADMIN");
                None
            }
            Err(e) => panic!("unshare(CLONE_NEWNET) failed under CI: {e}"),
        })
        .join()
        .expect("test thread panicked")
    })
}

pub fn sa(s: &str) -> SocketAddr {
    s.parse().unwrap()
}

/// The UDP tuple 192.0.2.1:1000 -> 192.0.2.2:`dport`.
pub fn udp(dport: u16) -> Tuple {
    Tuple::new(
        Protocol::Udp,
        sa("192.0.2.1:1000"),
        SocketAddr::new("192.0.2.2".parse().unwrap(), dport),
    )
}

/// The TCP tuple 192.0.2.1:`sport` -> 192.0.2.2:`dport`.
pub fn tcp(sport: u16, dport: u16) -> Tuple {
    Tuple::new(
        Protocol::Tcp,
        SocketAddr::new("192.0.2.1".parse().unwrap(), sport),
        SocketAddr::new("192.0.2.2".parse().unwrap(), dport),
    )
}

/// A UDP flow to create, with a timeout.
pub fn udp_flow(dport: u16) -> Flow {
    Flow::builder(udp(dport)).timeout(100).build()
}

/// An established TCP flow to create.
pub fn tcp_flow(sport: u16, dport: u16) -> Flow {
    Flow::builder(tcp(sport, dport))
        .tcp_state(TcpState::Established)
        .timeout(100)
        .build()
}
