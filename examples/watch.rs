//! Prints conntrack events as `conntrack -E` does: `[NEW] tcp ...`.
//!
//! Usage: watch [--netns PATH] [--proto NUM] [--count N] [--seconds S]
//!   --proto NUM   only events of IP protocol NUM (6 tcp, 17 udp), filtered
//!                 in the kernel by a BPF program
//!   --count N     stop after N events
//!   --seconds S   stop when no event came for S seconds

use std::time::Duration;

use netfilter_conntrack::ctnetlink::{Events, Groups, Result};
use netfilter_conntrack::filter::{EventFilter, Value};

/// `println!` that ends the program quietly once stdout is closed (the
/// reader, `head` or a pager, has quit).
macro_rules! say {
    ($($t:tt)*) => {{
        use std::io::Write;
        if writeln!(std::io::stdout(), $($t)*).is_err() {
            std::process::exit(0);
        }
    }};
}

fn main() -> Result<()> {
    let mut args = std::env::args().skip(1);
    let (mut netns, mut proto, mut count, mut seconds) = (None, None, None, None);
    let num = |v: Option<String>| -> u64 {
        v.and_then(|s| s.parse().ok()).unwrap_or_else(|| {
            eprintln!("a number is needed");
            std::process::exit(2)
        })
    };
    while let Some(a) = args.next() {
        match a.as_str() {
            "--netns" => netns = args.next(),
            "--proto" => proto = Some(num(args.next()) as i32),
            "--count" => count = Some(num(args.next())),
            "--seconds" => seconds = Some(num(args.next())),
            _ => {
                eprintln!("usage: watch [--netns PATH] [--proto NUM] [--count N] [--seconds S]");
                std::process::exit(2);
            }
        }
    }
    let groups = Groups::CONNTRACK | Groups::EXPECT;
    let mut events = match netns {
        Some(path) => {
            let ns = std::fs::File::open(&path).unwrap_or_else(|e| {
                eprintln!("{path}: {e}");
                std::process::exit(1)
            });
            Events::open_in(groups, &ns)?
        }
        None => Events::open(groups)?,
    };
    if let Some(p) = proto {
        let mut f = EventFilter::new();
        f.add(Value::L4Proto(p));
        events.set_filter(&f)?;
    }
    events.set_timeout(seconds.map(Duration::from_secs))?;
    // Subscribed: events from now on are seen. Scripts wait for this line.
    eprintln!("watching");
    for (n, event) in (&mut events).enumerate() {
        match event {
            Ok(e) => say!("{e}"),
            // Events were lost: say so and go on.
            Err(e) if e.errno() == libc::ENOBUFS => eprintln!("overrun: {e}"),
            Err(e) => return Err(e),
        }
        if count.is_some_and(|c| n as u64 + 1 >= c) {
            break;
        }
    }
    Ok(())
}
