"""The Python peers of the side-by-side harness, written by us, one job per call.

  torch-seed    PyTorch exactly as the seed chapter writes it: autograd, data_iter over a
                shuffled Python list, sgd() dividing by the batch size.
  torch-manual  PyTorch with the gradient written out: one randperm per epoch, a gather per batch.
  numpy         NumPy with the gradient written out, the same structure as torch-manual.

Every job prints one JSON line per run with the fields the engine prints: gen_s, train_s,
whole_s, epoch_s, final_loss, w0, peak_rss (bytes, ru_maxrss).
"""
import argparse
import json
import random
import resource
import sys
import time


def true_weights(features):
    if features == 2:
        return [2.0, -3.4]
    return [((j % 7) - 3) * 0.5 for j in range(features)]


def peak_rss():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def torch_seed(a, torch):
    """The seed's code, with only the sizes and the feature std taken from the arguments."""
    def synthetic_data(w, b, num_examples):
        X = torch.normal(mean=0, std=a.feature_std, size=(num_examples, len(w)))
        y = torch.matmul(X, w) + b
        y += torch.normal(mean=0, std=a.noise, size=y.shape)
        return X, y.reshape((-1, 1))

    def data_iter(batch_size, features, labels):
        num_examples = len(features)
        indices = list(range(num_examples))
        random.shuffle(indices)
        for i in range(0, num_examples, batch_size):
            batch_indices = torch.tensor(indices[i:min(i + batch_size, num_examples)])
            yield features[batch_indices], labels[batch_indices]

    def linreg(X, w, b):
        return torch.matmul(X, w) + b

    def squared_loss(y_hat, y):
        return (y_hat - y.reshape(y_hat.shape)) ** 2 / 2

    def sgd(params, lr, batch_size):
        with torch.no_grad():
            for param in params:
                param -= lr * param.grad / batch_size
                param.grad.zero_()

    start = time.perf_counter()
    features, labels = synthetic_data(torch.tensor(true_weights(a.features)), 4.2, a.examples)
    generated = time.perf_counter()
    w = torch.normal(mean=0, std=a.init_std, size=(a.features, 1), requires_grad=True)
    b = torch.zeros(1, requires_grad=True)
    for epoch in range(a.epochs):
        for X, y in data_iter(a.batch, features, labels):
            l = squared_loss(linreg(X, w, b), y)
            l.sum().backward()
            sgd([w, b], a.lr, a.batch)
        with torch.no_grad():
            train_l = squared_loss(linreg(features, w, b), labels)
            final = float(train_l.mean())
    return start, generated, time.perf_counter(), final, float(w[0, 0])


def torch_manual(a, torch):
    start = time.perf_counter()
    true_w = torch.tensor(true_weights(a.features))
    X = torch.randn(a.examples, a.features) * a.feature_std
    y = X @ true_w + 4.2 + torch.randn(a.examples) * a.noise
    generated = time.perf_counter()
    w = torch.randn(a.features) * a.init_std
    b = torch.zeros(())
    n = a.examples
    with torch.no_grad():
        for epoch in range(a.epochs):
            order = torch.randperm(n)
            for i in range(0, n, a.batch):
                idx = order[i:i + a.batch]
                Xb = X[idx]
                err = Xb @ w + b - y[idx]
                scale = a.lr / len(idx)
                w -= scale * (err @ Xb)
                b -= scale * err.sum()
            final = float(((X @ w + b - y) ** 2).mean() / 2)
    return start, generated, time.perf_counter(), final, float(w[0])


def numpy_manual(a, np):
    rng = np.random.default_rng(42)
    start = time.perf_counter()
    true_w = np.array(true_weights(a.features), dtype=np.float32)
    X = rng.standard_normal((a.examples, a.features), dtype=np.float32) * np.float32(a.feature_std)
    y = X @ true_w + np.float32(4.2) + rng.standard_normal(a.examples, dtype=np.float32) * np.float32(a.noise)
    generated = time.perf_counter()
    w = rng.standard_normal(a.features, dtype=np.float32) * np.float32(a.init_std)
    b = np.float32(0)
    n = a.examples
    for epoch in range(a.epochs):
        order = rng.permutation(n)
        for i in range(0, n, a.batch):
            idx = order[i:i + a.batch]
            Xb = X[idx]
            err = Xb @ w + b - y[idx]
            scale = np.float32(a.lr / len(idx))
            w -= scale * (err @ Xb)
            b -= scale * err.sum()
        final = float(np.mean(np.square(X @ w + b - y, dtype=np.float64)) / 2)
    return start, generated, time.perf_counter(), final, float(w[0])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("impl", choices=["torch-seed", "torch-manual", "numpy"])
    parser.add_argument("--examples", type=int, default=1000)
    parser.add_argument("--features", type=int, default=2)
    parser.add_argument("--batch", type=int, default=10)
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--lr", type=float, default=0.03)
    parser.add_argument("--feature-std", type=float, default=1.0)
    parser.add_argument("--init-std", type=float, default=0.01)
    parser.add_argument("--noise", type=float, default=0.01)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--train-only", type=int, default=0)
    a = parser.parse_args()

    if a.impl == "numpy":
        import numpy as np
        run = lambda: numpy_manual(a, np)
    else:
        import torch
        torch.manual_seed(7)
        random.seed(7)
        run = (lambda: torch_seed(a, torch)) if a.impl == "torch-seed" else (lambda: torch_manual(a, torch))

    for _ in range(a.repeat):
        start, generated, done, final, w0 = run()
        train = done - generated
        line = {
            "gen_s": generated - start,
            "train_s": train,
            "whole_s": done - start,
            "epoch_s": train / a.epochs,
            "final_loss": final,
            "w0": w0,
            "peak_rss": peak_rss(),
        }
        print(json.dumps(line), flush=True)


if __name__ == "__main__":
    sys.exit(main())
