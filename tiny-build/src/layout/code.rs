//! Facts about the linked x86-64 code that let the layout drop bytes, decoded with iced-x86.
//! Each answer is conservative: when in doubt, nothing is dropped.

use iced_x86::{Decoder, DecoderOptions, Mnemonic, OpKind, Register};

fn decode(code: &[u8], ip: u64) -> Option<Vec<iced_x86::Instruction>> {
    let all: Vec<_> = Decoder::with_ip(64, code, ip, DecoderOptions::NONE)
        .iter()
        .collect();
    all.iter().all(|i| !i.is_invalid()).then_some(all)
}

/// Whether the function `code` (at `ip`) can run with any stack alignment: it calls nothing,
/// jumps nowhere outside itself, and touches the stack only with `push`/`pop` (alignment only
/// matters to aligned SSE accesses and to callees, which assume the ABI's alignment). Then the
/// entry point need not realign the stack for it.
pub fn alignment_free(code: &[u8], ip: u64) -> bool {
    let Some(insns) = decode(code, ip) else {
        return false;
    };
    let end = ip + code.len() as u64;
    insns.iter().all(|i| {
        let stack_memory = (0..i.op_count()).any(|n| {
            i.op_kind(n) == OpKind::Memory
                && matches!(
                    i.memory_base(),
                    Register::RSP | Register::RBP | Register::ESP | Register::EBP
                )
        });
        let leaves = matches!(i.op0_kind(), OpKind::NearBranch64)
            && !(ip..end).contains(&i.near_branch_target());
        let indirect_jump =
            i.mnemonic() == Mnemonic::Jmp && !matches!(i.op0_kind(), OpKind::NearBranch64);
        let push_pop = matches!(i.mnemonic(), Mnemonic::Push | Mnemonic::Pop);
        i.mnemonic() != Mnemonic::Call && !leaves && !indirect_jump && (push_pop || !stack_memory)
    })
}

/// If `code` (at `ip`) ends with a `ud2` that no branch in it targets — the trap LLVM puts
/// after a call that never returns, such as the final `exit` system call — its length: at
/// the end of the file those bytes can go (what follows the file reads as zeros and is never
/// reached).
pub fn trailing_trap(code: &[u8], ip: u64) -> Option<usize> {
    let insns = decode(code, ip)?;
    let last = insns.last()?;
    if last.mnemonic() != Mnemonic::Ud2 {
        return None;
    }
    let targeted = insns.iter().any(|i| {
        matches!(i.op0_kind(), OpKind::NearBranch64) && i.near_branch_target() == last.ip()
    });
    (!targeted).then_some(last.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    const IP: u64 = 0x10070;

    #[test]
    fn hello_needs_no_alignment_and_ends_with_a_droppable_trap() {
        // lea rsi,[rip-0x50]; push 1; pop rax; push 14; pop rdx; mov rdi,rax; syscall;
        // push 60; pop rax; xor edi,edi; syscall; ud2
        let code = [
            0x48, 0x8d, 0x35, 0xb0, 0xff, 0xff, 0xff, 0x6a, 0x01, 0x58, 0x6a, 0x0e, 0x5a, 0x48,
            0x89, 0xc7, 0x0f, 0x05, 0x6a, 0x3c, 0x58, 0x31, 0xff, 0x0f, 0x05, 0x0f, 0x0b,
        ];
        assert!(alignment_free(&code, IP));
        assert_eq!(trailing_trap(&code, IP), Some(2));
    }

    #[test]
    fn calls_and_stack_memory_need_alignment() {
        // call +0; ret
        assert!(!alignment_free(&[0xe8, 0, 0, 0, 0, 0xc3], IP));
        // movaps [rsp+0x10], xmm0
        assert!(!alignment_free(&[0x0f, 0x29, 0x44, 0x24, 0x10], IP));
        // jmp to far away
        assert!(!alignment_free(&[0xe9, 0x00, 0x10, 0x00, 0x00], IP));
        // bytes that do not decode
        assert!(!alignment_free(&[0x0f, 0xff], IP));
    }

    #[test]
    fn a_targeted_trap_stays() {
        // je +0 (to the ud2 right after it); ud2
        assert_eq!(trailing_trap(&[0x74, 0x00, 0x0f, 0x0b], IP), None);
        // ret: no trap
        assert_eq!(trailing_trap(&[0xc3], IP), None);
    }
}
