//! The panic handler: the message (when it is a plain string) to stderr, then exit 101.

use crate::{eprint, exit};

#[panic_handler]
fn panic(info: &core::panic::PanicInfo<'_>) -> ! {
    eprint("panicked");
    if let Some(loc) = info.location() {
        eprint(" at ");
        eprint(loc.file());
    }
    if let Some(msg) = info.message().as_str() {
        eprint(":\n");
        eprint(msg);
    }
    eprint("\n");
    exit(101)
}
