#!/usr/bin/python3
"""PyTorch reference of one wam4j world-action-model training step, for throughput comparison.

Rebuilds the network of model/.../wam/WamNetwork.java, the objective of WamTrainer.losses and the
optimizer of AdamW.java op for op, trains it on synthetic uint8 batches held in memory (no data
loading is timed) and prints one JSON object. Compare it with the Java side on the same CPU, with
the same config file and thread count. See README.md next to this file.

Run with Debian's python3-torch: /usr/bin/python3 bench/pytorch-wam/wam_reference.py --threads 2
"""
import argparse
import json
import math
import os
import resource
import sys
import time

# Defaults of WamConfig.defaults(), same names. Fields that do not shape the step (paths, feature
# keys, logging, checkpoint cadence) are accepted and ignored so a run's config file can be given as is.
DEFAULTS = {
    "dataset": None, "validationDataset": None, "init": None,
    "imageKey": "observation.image", "stateKey": "observation.state", "actionKey": "action",
    "imageSize": 96, "workspaceSize": 512.0,
    "historyFrames": 2, "actionHorizon": 16, "executeSteps": 8, "futureStride": 4, "futureFrames": 2,
    "latentChannels": 8, "encoderChannels": 32, "dynamicsChannels": 64, "dynamicsBlocks": 2,
    "featureSize": 256, "headWidth": 512, "headLayers": 3, "flowSamples": 4, "sampleSteps": 10,
    "actionWeight": 1.0, "videoWeight": 1.0, "reconWeight": 1.0,
    "batchSize": 32, "steps": 5000, "learningRate": 3e-4, "weightDecay": 1e-4, "warmupSteps": 200,
    "gradClip": 1.0, "emaDecay": 0.995,
    "logEverySteps": 10, "checkpointEverySteps": 250, "validationBatches": 8, "threads": 2, "seed": 0,
}
TIME_EMBEDDING = 32  # WamNetwork.TIME_EMBEDDING


def load_config(path):
    cfg = dict(DEFAULTS)
    if path is None:
        return cfg
    with open(path, encoding="utf-8") as f:
        try:
            given = json.load(f)
        except json.JSONDecodeError as e:
            sys.exit(f"wam config {path}: not JSON: {e}")
    if not isinstance(given, dict):
        sys.exit(f"wam config {path}: expected a JSON object")
    for key, value in given.items():
        if key not in DEFAULTS:
            sys.exit(f"wam config {path}: unknown field {key!r}")
        cfg[key] = value
    if cfg["imageSize"] != 96:
        sys.exit(f"wam config {path}: imageSize must be 96, got {cfg['imageSize']}")
    for key in ("historyFrames", "actionHorizon", "futureStride", "futureFrames", "latentChannels",
                "encoderChannels", "dynamicsChannels", "featureSize", "headWidth", "headLayers",
                "flowSamples", "batchSize"):
        if not isinstance(cfg[key], int) or cfg[key] < 1:
            sys.exit(f"wam config {path}: {key} must be an integer >= 1, got {cfg[key]!r}")
    return cfg


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--config", help="wam config JSON (WamConfig field names); defaults otherwise")
    p.add_argument("--threads", type=int, default=2, help="intra-op threads (default 2); inter-op is 1")
    p.add_argument("--steps", type=int, default=50, help="timed steps (default 50)")
    p.add_argument("--warmup", type=int, default=3, help="untimed steps first (default 3)")
    p.add_argument("--batches", type=int, default=4, help="distinct synthetic batches cycled (default 4)")
    return p.parse_args()


args = parse_args()
if args.threads < 1 or args.steps < 1 or args.warmup < 0 or args.batches < 1:
    sys.exit("--threads, --steps and --batches must be >= 1, --warmup >= 0")
# Before torch loads: OpenBLAS (Linear layers) and OpenMP must not start more threads than asked.
for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[var] = str(args.threads)

try:
    import torch  # noqa: E402
except ImportError:
    sys.exit(f"{sys.executable} has no torch. This script needs Debian's python3-torch (apt-get install python3-torch) "
             "run by Debian's interpreter: /usr/bin/python3 bench/pytorch-wam/wam_reference.py ... "
             "(a python3 earlier on PATH, e.g. pyenv's, does not see it)")
import torch.nn as nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402

torch.set_num_threads(args.threads)
torch.set_num_interop_threads(1)


def conv(cin, cout, kernel, stride, padding):
    # DJL's Conv2d has a bias; its default weight init is Xavier(GAUSSIAN, IN, 2) = N(0, 2 / fan_in), bias 0.
    layer = nn.Conv2d(cin, cout, kernel, stride, padding, bias=True)
    init_like_djl(layer)
    return layer


def linear(cin, cout):
    layer = nn.Linear(cin, cout, bias=True)
    init_like_djl(layer)
    return layer


def init_like_djl(layer):
    fan_in = layer.weight[0].numel()
    with torch.no_grad():
        layer.weight.normal_(0.0, math.sqrt(2.0 / fan_in))
        layer.bias.zero_()


class PixelShuffle(nn.Module):
    """Blocks.pixelShuffle: (n, c*r*r, h, w) -> (n, c, r, r, h, w) -> (0,1,4,2,5,3) -> (n, c, h*r, w*r)."""

    def __init__(self, r):
        super().__init__()
        self.r = r

    def forward(self, x):
        n, cr, h, w = x.shape
        r = self.r
        c = cr // (r * r)
        return x.reshape(n, c, r, r, h, w).permute(0, 1, 4, 2, 5, 3).reshape(n, c, h * r, w * r)


class Gelu(nn.Module):
    def forward(self, x):
        return F.gelu(x)  # exact (erf) GELU, as DJL's Activation.gelu on the PyTorch engine


class WamNetwork(nn.Module):
    """WamNetwork.java: tokenizer encoder/decoder, latent dynamics, flow-matching action head."""

    def __init__(self, c):
        super().__init__()
        self.c = c
        e, z, d = c["encoderChannels"], c["latentChannels"], c["dynamicsChannels"]
        h, s = c["historyFrames"], c["imageSize"] // 8
        self.latent_size = s
        self.encoder = nn.Sequential(
            conv(3, e, 4, 4, 0), Gelu(),  # 96 -> 24
            conv(e, e, 3, 1, 1), Gelu(),
            conv(e, 2 * e, 3, 2, 1), Gelu(),  # 24 -> 12
            conv(2 * e, z, 1, 1, 0))
        self.decoder = nn.Sequential(
            conv(z, 2 * e, 3, 1, 1), Gelu(),
            conv(2 * e, 4 * e, 1, 1, 0), PixelShuffle(2), Gelu(),  # 12 -> 24
            conv(e, e, 3, 1, 1), Gelu(),
            conv(e, 3 * 16, 1, 1, 0), PixelShuffle(4), nn.Tanh())  # 24 -> 96
        self.dynamics_in = nn.Sequential(conv(h * z + h * 2, d, 3, 1, 1), Gelu())
        self.dynamics_blocks = nn.ModuleList(
            nn.Sequential(conv(d, d, 3, 1, 1), Gelu(), conv(d, d, 3, 1, 1)) for _ in range(c["dynamicsBlocks"]))
        self.future_out = nn.Sequential(conv(d, c["futureFrames"] * z, 3, 1, 1))
        feat_side = (s + 2 - 3) // 2 + 1
        self.feature_out = nn.Sequential(
            conv(d, d, 3, 2, 1), Gelu(),  # 12 -> 6
            nn.Flatten(),
            linear(d * feat_side * feat_side, c["featureSize"]), Gelu())
        self.action_values = c["actionHorizon"] * 2
        cond = c["featureSize"] + h * 2
        layers, width_in = [], self.action_values + TIME_EMBEDDING + cond
        for _ in range(c["headLayers"]):
            layers += [linear(width_in, c["headWidth"]), Gelu()]
            width_in = c["headWidth"]
        layers.append(linear(width_in, self.action_values))
        self.action_head = nn.Sequential(*layers)
        half = TIME_EMBEDDING // 2
        freq = [math.exp(math.log(1000.0) * i / (half - 1)) for i in range(half)]
        self.register_buffer("freq", torch.tensor(freq, dtype=torch.float32).reshape(1, half), persistent=False)

    def dynamics(self, history, positions):
        c, s, z = self.c, self.latent_size, self.c["latentChannels"]
        b = history.shape[0]
        hp = c["historyFrames"] * 2
        planes = positions.reshape(b, hp, 1, 1).expand(b, hp, s, s)
        x = self.dynamics_in(torch.cat([history, planes], 1))
        for block in self.dynamics_blocks:
            x = x + block(x)
        current = history[:, (c["historyFrames"] - 1) * z:]
        change = self.future_out(x)
        future = change + torch.cat([current] * c["futureFrames"], 1)
        feature = self.feature_out(x)
        return future, torch.cat([feature, positions], 1)

    def velocity(self, xt, t, condition):
        angles = t * self.freq
        emb = torch.cat([angles.sin(), angles.cos()], 1)
        return self.action_head(torch.cat([xt, emb, condition], 1))


def frames(rgb):
    """WamTrainer.frames: uint8 (n, size, size, 3) -> float (n, 3, size, size) in [-1, 1] (a transposed view)."""
    return rgb.to(torch.float32).div(127.5).sub(1.0).permute(0, 3, 1, 2)


def losses(net, c, batch):
    """WamTrainer.losses: total, action, video, recon (scalar tensors)."""
    b, h, f, z = c["batchSize"], c["historyFrames"], c["futureFrames"], c["latentChannels"]
    s, k, a = net.latent_size, c["flowSamples"], net.action_values
    size = c["imageSize"]
    scale = 2.0 / c["workspaceSize"]
    pos = (batch["states"] * scale - 1.0).reshape(b, h * 2)
    chunk = (batch["actions"] * scale - 1.0).reshape(b, a)
    mask = (~batch["action_is_pad"]).to(torch.float32)

    history = frames(batch["images"])
    video = c["videoWeight"] > 0
    future = future_latents = None
    if video:  # one encoder call for history and future frames; the future's latents are targets only
        future = frames(batch["future_images"])
        all_latents = net.encoder(torch.cat([history, future], 0))
        latents = all_latents[:b * h]
        future_latents = all_latents[b * h:].detach().reshape(b, f * z, s, s)
    else:
        latents = net.encoder(history)
    predicted, condition = net.dynamics(latents.reshape(b, h * z, s, s), pos)

    zero = torch.zeros(())
    video_loss = recon_loss = action_loss = zero
    if video:
        pixels = net.decoder(predicted.reshape(b * f, z, s, s))
        video_loss = (predicted - future_latents).square().mean() + (pixels - future).square().mean()
    if c["reconWeight"] > 0:
        current = latents.reshape(b, h, z, s, s)[:, -1]
        current_frames = history.reshape(b, h, 3, size, size)[:, -1]
        recon_loss = (net.decoder(current) - current_frames).square().mean()
    if c["actionWeight"] > 0:
        x1 = chunk.repeat_interleave(k, 0)
        x0 = torch.randn(b * k, a)
        t = torch.rand(b * k, 1)
        xt = x0 * (1 - t) + x1 * t
        v = net.velocity(xt, t, condition.repeat_interleave(k, 0))
        w = mask.reshape(b, c["actionHorizon"], 1).repeat_interleave(k, 0) \
            .expand(b * k, c["actionHorizon"], 2).reshape(b * k, a)
        err = (v - (x1 - x0)).square() * w
        action_loss = err.sum() / w.sum().clamp_min(1.0)
    total = action_loss * c["actionWeight"] + video_loss * c["videoWeight"] + recon_loss * c["reconWeight"]
    return total, action_loss, video_loss, recon_loss


class AdamW:
    """AdamW.java, op for op per parameter: global-norm clip, AdamW (no decay of 1-D tensors), EMA."""
    BETA1, BETA2, EPS = 0.9, 0.999, 1e-8

    def __init__(self, params, weight_decay, grad_clip, ema_decay):
        self.params = [p for p in params if p.requires_grad]
        self.m = [torch.zeros_like(p) for p in self.params]
        self.v = [torch.zeros_like(p) for p in self.params]
        self.ema = [p.detach().clone() for p in self.params]
        self.weight_decay, self.grad_clip, self.ema_decay = weight_decay, grad_clip, ema_decay
        self.updates = 0

    @torch.no_grad()
    def step(self, lr):
        sq = 0.0
        for p in self.params:  # one scalar read per tensor, as the Java loop does
            sq += p.grad.square().sum().item()
        norm = math.sqrt(sq)
        if not math.isfinite(norm):
            raise RuntimeError(f"gradient norm is {norm}")
        scale = self.grad_clip / norm if norm > self.grad_clip else 1.0
        self.updates += 1
        c1, c2 = 1 - self.BETA1 ** self.updates, 1 - self.BETA2 ** self.updates
        decay = min(self.ema_decay, (1.0 + self.updates) / (10.0 + self.updates))
        for i, w in enumerate(self.params):
            g = w.grad * scale
            self.m[i].mul_(self.BETA1).add_(g * (1 - self.BETA1))
            self.v[i].mul_(self.BETA2).add_(g.square().mul_(1 - self.BETA2))
            update = (self.m[i] / c1).div_((self.v[i] / c2).sqrt().add_(self.EPS))
            if w.dim() > 1 and self.weight_decay > 0:
                update.add_(w * self.weight_decay)
            w.sub_(update.mul_(lr))
            w.grad.sub_(w.grad)  # Java zeroes by subtracting; keeps the gradient buffer allocated
            self.ema[i].mul_(decay).add_(w * (1 - decay))
        return norm


def learning_rate(c, step):
    """WamTrainer.learningRate: linear warm-up, then cosine decay to 0 at steps."""
    if step < c["warmupSteps"]:
        return c["learningRate"] * (step + 1) / c["warmupSteps"]
    progress = min(1.0, (step - c["warmupSteps"]) / max(1, c["steps"] - c["warmupSteps"]))
    return c["learningRate"] * 0.5 * (1 + math.cos(math.pi * progress))


def synthetic_batches(c, count, gen):
    """Random batches shaped like dev.wam4j.data.loader.TrainingBatch (uint8 NHWC frames, pixel positions)."""
    b, h, f, size, ws = c["batchSize"], c["historyFrames"], c["futureFrames"], c["imageSize"], c["workspaceSize"]
    out = []
    for _ in range(count):
        out.append({
            "images": torch.randint(0, 256, (b * h, size, size, 3), dtype=torch.uint8, generator=gen),
            "future_images": torch.randint(0, 256, (b * f, size, size, 3), dtype=torch.uint8, generator=gen),
            "states": torch.rand(b * h * 2, generator=gen) * ws,
            "actions": torch.rand(b * c["actionHorizon"] * 2, generator=gen) * ws,
            "action_is_pad": torch.rand(b * c["actionHorizon"], generator=gen) < 0.1,
        })
    return out


def main():
    c = load_config(args.config)
    torch.manual_seed(int(c["seed"]))
    net = WamNetwork(c)
    net.train()
    opt = AdamW(net.parameters(), c["weightDecay"], c["gradClip"], c["emaDecay"])
    batches = synthetic_batches(c, args.batches, torch.Generator().manual_seed(int(c["seed"]) + 1))
    n_params = sum(p.numel() for p in net.parameters())

    phases = {"forward": 0.0, "backward": 0.0, "optimizer": 0.0}

    def train_step(step, timed):
        t0 = time.perf_counter()
        total, action, video, recon = losses(net, c, batches[step % len(batches)])
        value = total.item()  # the Java step reads the loss before backward (NaN guard)
        if not math.isfinite(value):
            raise RuntimeError(f"loss is {value} at step {step + 1}")
        t1 = time.perf_counter()
        total.backward()
        t2 = time.perf_counter()
        norm = opt.step(learning_rate(c, step))
        t3 = time.perf_counter()
        if timed:  # CPU ops run eagerly, so wall-clock splits are exact
            phases["forward"] += t1 - t0
            phases["backward"] += t2 - t1
            phases["optimizer"] += t3 - t2
        return value, action.item(), video.item(), recon.item(), norm

    for i in range(args.warmup):
        train_step(i, False)
    times, last = [], None
    for i in range(args.warmup, args.warmup + args.steps):
        t0 = time.perf_counter()
        last = train_step(i, True)
        times.append(time.perf_counter() - t0)
    elapsed = sum(times)
    ms = sorted(x * 1000 for x in times)
    p50 = ms[len(ms) // 2] if len(ms) % 2 else (ms[len(ms) // 2 - 1] + ms[len(ms) // 2]) / 2
    result = {
        "benchmark": "pytorch-wam-reference",
        "data": "synthetic uniform-random uint8 frames and positions, pre-generated in memory; no loading or decoding timed",
        "torch": torch.__version__,
        "python": sys.version.split()[0],
        "threads": torch.get_num_threads(),
        "interop_threads": torch.get_num_interop_threads(),
        "config": args.config,
        "batch": c["batchSize"],
        "warmup_steps": args.warmup,
        "steps_timed": args.steps,
        "samples_per_s": c["batchSize"] * args.steps / elapsed,
        "ms_per_step_mean": 1000 * elapsed / args.steps,
        "ms_per_step_p50": p50,
        "ms_per_step_min": ms[0],
        "ms_per_step_max": ms[-1],
        "ms_per_step_by_phase": {k: 1000 * v / args.steps for k, v in phases.items()},
        "omp_wait_policy": os.environ.get("OMP_WAIT_POLICY"),
        "parameters": n_params,
        "parameter_tensors": len(opt.params),
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "last_losses": dict(zip(("total", "action", "video", "recon", "grad_norm"), last)),
        "load_average": os.getloadavg(),
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
