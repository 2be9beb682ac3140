//! Sets the soname and the shared library's link layout, and writes the C
//! headers in include/ with cbindgen.
//!
//! Each installed header is generated from one Rust file of src/ffi/abi/
//! holding its types and constants; the main header also gets the
//! `extern "C"` functions of src/ffi/*.rs. The include guards, the include
//! chain and the few lines cbindgen cannot express (`#warning`, a
//! function-like macro) are set here, per header.

use std::path::{Path, PathBuf};

/// One installed header.
struct Header {
    /// File name under include/libnetfilter_conntrack/.
    file: &'static str,
    /// Upstream's include guard.
    guard: &'static str,
    /// The Rust file under src/ffi/abi/ with its types and constants.
    abi: &'static str,
    /// Whether the exports of src/ffi/*.rs go in this header.
    functions: bool,
    /// `#include <...>` lines, in upstream's order.
    sys_includes: &'static [&'static str],
    /// Verbatim C after the includes, for what Rust cannot express.
    after_includes: Option<&'static str>,
}

const HEADERS: &[Header] = &[
    Header {
        file: "libnetfilter_conntrack.h",
        guard: "_LIBNETFILTER_CONNTRACK_H_",
        abi: "api.rs",
        functions: true,
        sys_includes: &[
            "stdbool.h",
            "netinet/in.h",
            "libnfnetlink/linux_nfnetlink.h",
            "libnfnetlink/libnfnetlink.h",
            "libnetfilter_conntrack/linux_nfnetlink_conntrack.h",
            "libnetfilter_conntrack/linux_nf_conntrack_common.h",
            "sys/types.h",
        ],
        // Token for token as in the kernel's nf_conntrack_tcp.h, so that
        // including both is not a redefinition (src/ffi/abi/api.rs).
        after_includes: Some(
            "/* TCP flags of ATTR_TCP_FLAGS_ORIG/REPL and ATTR_TCP_MASK_ORIG/REPL. */\n\
             #define IP_CT_TCP_FLAG_WINDOW_SCALE 0x01\n\
             #define IP_CT_TCP_FLAG_SACK_PERM 0x02\n\
             #define IP_CT_TCP_FLAG_CLOSE_INIT 0x04\n\
             #define IP_CT_TCP_FLAG_BE_LIBERAL 0x08",
        ),
    },
    Header {
        file: "linux_nfnetlink_conntrack.h",
        guard: "_IPCONNTRACK_NETLINK_H",
        abi: "nfnetlink_conntrack.rs",
        functions: false,
        sys_includes: &["libnfnetlink/linux_nfnetlink.h"],
        after_includes: None,
    },
    Header {
        file: "linux_nf_conntrack_common.h",
        guard: "_NF_CONNTRACK_COMMON_H",
        abi: "common.rs",
        functions: false,
        sys_includes: &[],
        after_includes: Some(
            "/* State bit of a packet of the given enum ip_conntrack_info value. */\n\
             #define NF_CT_STATE_BIT(ctinfo) (1 << ((ctinfo) % IP_CT_IS_REPLY + 1))",
        ),
    },
    Header {
        file: "libnetfilter_conntrack_tcp.h",
        guard: "_LIBNETFILTER_CONNTRACK_TCP_H_",
        abi: "tcp.rs",
        functions: false,
        sys_includes: &[],
        after_includes: None,
    },
    Header {
        file: "libnetfilter_conntrack_udp.h",
        guard: "_LIBNETFILTER_CONNTRACK_UDP_H_",
        abi: "udp.rs",
        functions: false,
        sys_includes: &[],
        after_includes: None,
    },
    Header {
        file: "libnetfilter_conntrack_icmp.h",
        guard: "_LIBNETFILTER_CONNTRACK_ICMP_H_",
        abi: "icmp.rs",
        functions: false,
        sys_includes: &[],
        after_includes: None,
    },
    Header {
        file: "libnetfilter_conntrack_sctp.h",
        guard: "_LIBNETFILTER_CONNTRACK_SCTP_H_",
        abi: "sctp.rs",
        functions: false,
        sys_includes: &[],
        after_includes: None,
    },
    Header {
        file: "libnetfilter_conntrack_dccp.h",
        guard: "_LIBNETFILTER_CONNTRACK_DCCP_H_",
        abi: "dccp.rs",
        functions: false,
        sys_includes: &[],
        after_includes: None,
    },
    Header {
        file: "libnetfilter_conntrack_ipv4.h",
        guard: "_LIBNETFILTER_CONNTRACK_IPV4_H_",
        abi: "ipv4.rs",
        functions: false,
        sys_includes: &[],
        after_includes: Some(
            "#warning \"Please, remove libnetfilter_conntrack_ipv4.h from your includes!\"",
        ),
    },
    Header {
        file: "libnetfilter_conntrack_ipv6.h",
        guard: "_LIBNETFILTER_CONNTRACK_IPV6_H_",
        abi: "ipv6.rs",
        functions: false,
        sys_includes: &[],
        after_includes: Some(
            "#warning \"Please, remove libnetfilter_conntrack_ipv6.h from your includes!\"",
        ),
    },
];

/// The `.rs` files directly in `dir`, sorted.
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "rs"))
                // cbindgen follows mod.rs's `mod` items into the files
                // listed here: reading it too would declare everything twice.
                .filter(|p| p.file_name().is_some_and(|n| n != "mod.rs"))
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

/// Names of the `pub enum`, `pub struct` and `pub union` items of a Rust
/// file: cbindgen writes only types that functions use unless told to
/// include them, and a header of constants has no functions.
fn public_types(src: &str) -> Vec<String> {
    src.lines()
        .filter_map(|l| {
            let l = l.trim_start();
            ["pub enum ", "pub struct ", "pub union "]
                .iter()
                .find_map(|k| l.strip_prefix(k))
        })
        .filter_map(|rest| {
            let name: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            (!name.is_empty()).then_some(name)
        })
        .collect()
}

fn main() {
    println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,libnetfilter_conntrack.so.3");
    link_layout();
    println!("cargo:rerun-if-changed=src/ffi");
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=cbindgen.toml");

    for h in HEADERS {
        generate(h);
    }
}

/// Two link settings that keep a client process's resident memory small.
///
/// src/hot-text.ld, a linker script that only adds to the linker's default
/// layout (`INSERT AFTER .init`), puts the functions that dumps, events,
/// queries and formatting run together at the start of .text. A client
/// then touches about 64 KiB of our code instead of most of its 400 KiB:
/// the kernel maps file pages in 64 KiB blocks around each page a program
/// touches. scripts/hot-text.sh writes the list and ctests/t-hot-text.sh
/// checks it.
///
/// The unwinder comes from libgcc_eh.a instead of libgcc_s.so.1: the
/// library is built with panic=abort, so the unwinder only serves std's
/// backtrace printer, and loading libgcc_s into every client costs about
/// 100 KiB for nothing. The original library does not load it either.
/// rustc asks for `-lgcc_s`; a one-line linker script of that name in
/// OUT_DIR, found first, stands for the static archive. Where the C
/// compiler has no libgcc_eh.a, for other C libraries than glibc, and
/// when cross-compiling, the link stays as rustc makes it. Neither
/// setting applies outside Linux.
fn link_layout() {
    let env = |k: &str| std::env::var(k).unwrap_or_default();
    if env("CARGO_CFG_TARGET_OS") != "linux" {
        return;
    }
    let manifest =
        PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("CARGO_MANIFEST_DIR"));
    let script = manifest.join("src/hot-text.ld");
    println!("cargo:rerun-if-changed=src/hot-text.ld");
    println!("cargo:rustc-cdylib-link-arg=-Wl,-T,{}", script.display());

    // The C compiler asked is the host's: when cross-compiling, its
    // libgcc_eh.a is for the wrong machine, and rustc's link is kept.
    if env("CARGO_CFG_TARGET_ENV") != "gnu" || env("TARGET") != env("HOST") {
        return;
    }
    let cc = std::env::var("CC").unwrap_or_else(|_| "cc".to_string());
    let eh = std::process::Command::new(&cc)
        .arg("-print-file-name=libgcc_eh.a")
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| PathBuf::from(String::from_utf8_lossy(&o.stdout).trim()));
    if let Some(eh) = eh.filter(|p| p.is_absolute() && p.is_file()) {
        let dir = PathBuf::from(std::env::var_os("OUT_DIR").expect("OUT_DIR")).join("unwind");
        std::fs::create_dir_all(&dir).expect("OUT_DIR/unwind");
        std::fs::write(
            dir.join("libgcc_s.so"),
            format!("INPUT({})\n", eh.display()),
        )
        .expect("OUT_DIR/unwind/libgcc_s.so");
        println!("cargo:rustc-cdylib-link-arg=-L{}", dir.display());
    }
}

fn generate(h: &Header) {
    let abi = Path::new("src/ffi/abi").join(h.abi);
    let mut sources = vec![abi.clone()];
    if h.functions {
        // Not mod.rs: cbindgen would follow its `mod` items into abi/ and
        // copy every other header's definitions into this one.
        sources.extend(
            rust_files(Path::new("src/ffi"))
                .into_iter()
                .filter(|p| !p.ends_with("mod.rs")),
        );
    }

    let mut cfg = cbindgen::Config::from_file("cbindgen.toml").expect("cbindgen.toml");
    cfg.include_guard = Some(h.guard.to_string());
    cfg.sys_includes = h.sys_includes.iter().map(|s| s.to_string()).collect();
    cfg.after_includes = h.after_includes.map(|s| format!("\n{s}"));
    let text = std::fs::read_to_string(&abi).unwrap_or_default();
    cfg.export.include.extend(public_types(&text));

    let mut b = cbindgen::Builder::new().with_config(cfg);
    for s in &sources {
        b = b.with_src(s);
    }
    let out = Path::new("include/libnetfilter_conntrack").join(h.file);
    match b.generate() {
        Ok(bindings) => {
            let mut text = Vec::new();
            bindings.write(&mut text);
            let text = c89_comments(&String::from_utf8_lossy(&text));
            // Rewrite only on change, so the files' mtimes stay put.
            if std::fs::read_to_string(&out).ok().as_deref() != Some(text.as_str()) {
                if let Err(e) = std::fs::write(&out, text) {
                    println!("cargo:warning=cannot write {}: {e}", out.display());
                }
            }
        }
        Err(e) => println!("cargo:warning=cbindgen failed for {}: {e}", h.file),
    }
}

/// cbindgen ends its `extern "C"` block with `//` comments, which a C89
/// compiler warns about after `#endif`; upstream's headers have none.
fn c89_comments(text: &str) -> String {
    text.replace("#endif // __cplusplus", "#endif /* __cplusplus */")
        .replace("#endif  // __cplusplus", "#endif /* __cplusplus */")
        .replace("}  // extern \"C\"", "} /* extern \"C\" */")
}
