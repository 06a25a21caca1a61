//! mkdir with `std`: as examples/mkdir (`-p`, `-m MODE` octal or symbolic; GNU's messages,
//! names quoted as `'NAME'`).
use std::fs::{DirBuilder, Permissions};
use std::io;
use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
use std::path::Path;
use std::process::exit;

#[path = "../../../rust-nostd/src/mode.rs"]
mod mode;

unsafe extern "C" {
    /// The C library's `umask` (std has none).
    fn umask(mask: u32) -> u32;
}

fn message(e: &io::Error) -> String {
    let s = e.to_string();
    s.split(" (os error").next().unwrap_or(&s).to_owned()
}

fn usage(what: &str) -> ! {
    eprintln!("mkdir: {what}");
    eprintln!("Try 'mkdir --help' for more information.");
    exit(1);
}

/// `path` made with `mode`; as GNU's `make_dir_parents` when `-m` names special bits: without
/// group and other write permission, then `chmod`.
fn make_one(path: &Path, mode: u32, changed: u32) -> io::Result<()> {
    let special = changed & 0o6000 != 0 || mode & 0o1000 != 0;
    DirBuilder::new()
        .mode(if special { mode & !0o022 } else { mode })
        .create(path)?;
    let now = std::fs::metadata(path)?.permissions().mode();
    if special && (now ^ mode) & changed != 0 {
        let keep = 0o6000 & !changed;
        std::fs::set_permissions(path, Permissions::from_mode(mode & !keep | now & keep))?;
    }
    Ok(())
}

fn main() {
    let (mut parents, mut spec, mut done) = (false, None::<String>, false);
    let mut names = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        if done || a.len() < 2 || !a.starts_with('-') {
            names.push(a);
            continue;
        }
        if a == "--" {
            done = true;
            continue;
        }
        for (i, c) in a.char_indices().skip(1) {
            match c {
                'p' => parents = true,
                'm' if i + 1 < a.len() => {
                    spec = Some(a[i + 1..].to_owned());
                    break;
                }
                'm' => match args.next() {
                    Some(m) => spec = Some(m),
                    None => usage("option requires an argument -- 'm'"),
                },
                c => usage(&format!("invalid option -- '{c}'")),
            }
        }
    }
    if names.is_empty() {
        usage("missing operand");
    }
    // SAFETY: `umask` touches no memory.
    let mask = unsafe { umask(0) };
    let (mode, changed) = match &spec {
        None => (0o777, 0),
        Some(s) => mode::parse(s.as_bytes(), mask).unwrap_or_else(|| {
            eprintln!("mkdir: invalid mode '{s}'");
            exit(1)
        }),
    };
    let run_mask = if spec.is_some() { 0 } else { mask };
    // SAFETY: as above.
    unsafe { umask(run_mask) };
    let mut status = 0;
    for name in &names {
        let fail = |p: &str, e: io::Error| {
            eprintln!("mkdir: cannot create directory '{p}': {}", message(&e));
        };
        if parents {
            let mut ok = true;
            for (i, _) in name.match_indices('/').filter(|(i, _)| *i > 0) {
                let parent = &name[..i];
                // SAFETY: as above.
                unsafe { umask(mask & !0o300) };
                let made = DirBuilder::new().mode(0o777).create(parent);
                // SAFETY: as above.
                unsafe { umask(run_mask) };
                if let Err(e) = made
                    && (e.kind() != io::ErrorKind::AlreadyExists || !Path::new(parent).is_dir())
                {
                    fail(parent, e);
                    ok = false;
                    break;
                }
            }
            if !ok {
                status = 1;
                continue;
            }
        }
        if let Err(e) = make_one(Path::new(name), mode, changed)
            && !(parents && e.kind() == io::ErrorKind::AlreadyExists && Path::new(name).is_dir())
        {
            fail(name, e);
            status = 1;
        }
    }
    exit(status);
}
