"""On a machine with CUDA GPUs: the trainer under torchrun with DDP (NCCL) and bf16 trains, and how fast.

    .venv/bin/python benchmarks/gpu_check.py [--gpus 1] [--steps 300]

Runs ``torchrun --standalone --nproc_per_node=GPUS -m book.train --device cuda ...`` on the
generated corpus, then prints the run's device, processes, precision, target tokens per second, final loss
and test scores from its metrics file. Nothing here runs without a GPU.
"""

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import torch


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gpus", type=int, default=1, help="processes, one per GPU")
    parser.add_argument("--steps", type=int, default=300)
    args = parser.parse_args()
    if not torch.cuda.is_available():
        raise SystemExit("gpu_check: PyTorch sees no CUDA GPU")
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "gpu.pt"
        command = [
            sys.executable, "-m", "torch.distributed.run", "--standalone", f"--nproc_per_node={args.gpus}",
            "-m", "book.train", "--device", "cuda", "--steps", str(args.steps), "--minutes", "10",
            "--out", str(out), "--quiet",
        ]  # fmt: skip
        print(" ".join(command[1:]))
        subprocess.run(command, check=True)
        metrics = json.loads(out.with_name("gpu-metrics.json").read_text(encoding="utf-8"))
    bf16 = metrics["settings"]["mixed_precision"]
    print(
        f"{torch.cuda.get_device_name()}: {metrics['processes']} process(es) on {metrics['device']}, "
        f"bf16 {'auto: ' + str(torch.cuda.is_bf16_supported()) if bf16 is None else bf16}; "
        f"{metrics['steps']} steps in {metrics['training_seconds']} s, "
        f"{metrics['tokens_per_second']} target tokens/s, final loss {metrics['final_loss']:.3f}, "
        f"test BLEU {metrics['test']['bleu']:.1f}, chrF {metrics['test']['chrf']:.1f}"
    )


if __name__ == "__main__":
    main()
