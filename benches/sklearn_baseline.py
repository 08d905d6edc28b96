#!/usr/bin/env python3
"""The classical baseline the intent classifier is measured against.

TF-IDF of char_wb 2-5-grams plus word unigrams, then LinearSVC, on the same
splits `switchboard eval` reads. Installs scikit-learn into target/sklearn-venv
on first use.

    python3 benches/sklearn_baseline.py ../shared/data/massive
    python3 benches/sklearn_baseline.py ../shared/data/clinc150 --out-of-scope oos
"""
import argparse
import glob
import json
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
VENV = os.path.join(HERE, "..", "target", "sklearn-venv")


def ensure_sklearn():
    try:
        import sklearn  # noqa: F401
        return
    except ImportError:
        pass
    python = os.path.join(VENV, "bin", "python")
    if not os.path.exists(python):
        subprocess.check_call([sys.executable, "-m", "venv", VENV])
        subprocess.check_call([python, "-m", "pip", "install", "--quiet", "scikit-learn==1.5.2", "numpy"])
    if os.path.abspath(sys.executable) != os.path.abspath(python):
        os.execv(python, [python] + sys.argv)


def read(path):
    with open(path, encoding="utf-8") as f:
        rows = [json.loads(line) for line in f if line.strip()]
    return [r["utt"] for r in rows], [r["intent"] for r in rows]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("data")
    parser.add_argument("--out-of-scope")
    args = parser.parse_args()
    ensure_sklearn()
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.metrics import f1_score
    from sklearn.pipeline import make_pipeline, make_union
    from sklearn.svm import LinearSVC

    print("| locale | accuracy | macro-F1 | train s |" + (" in-scope acc | oos recall |" if args.out_of_scope else ""))
    print("|---|---|---|---|" + ("---|---|" if args.out_of_scope else ""))
    for train_path in sorted(glob.glob(os.path.join(args.data, "*.train.jsonl"))):
        locale = os.path.basename(train_path)[: -len(".train.jsonl")]
        test_path = os.path.join(args.data, locale + ".test.jsonl")
        if not os.path.exists(test_path):
            continue
        x_train, y_train = read(train_path)
        x_test, y_test = read(test_path)
        model = make_pipeline(
            make_union(
                TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5)),
                TfidfVectorizer(analyzer="word"),
            ),
            LinearSVC(),
        )
        started = time.time()
        model.fit(x_train, y_train)
        train_s = time.time() - started
        predicted = model.predict(x_test)
        accuracy = float(np.mean([p == g for p, g in zip(predicted, y_test)]))
        f1 = f1_score(y_test, predicted, average="macro")
        extra = ""
        if args.out_of_scope:
            oos = args.out_of_scope
            in_scope = [(p, g) for p, g in zip(predicted, y_test) if g != oos]
            out = [p for p, g in zip(predicted, y_test) if g == oos]
            in_acc = sum(p == g for p, g in in_scope) / max(len(in_scope), 1)
            recall = sum(p == oos for p in out) / max(len(out), 1)
            extra = f" {in_acc * 100:.1f}% | {recall * 100:.1f}% |"
        print(f"| {locale} | {accuracy * 100:.1f}% | {f1 * 100:.1f}% | {train_s:.1f} |{extra}")


if __name__ == "__main__":
    main()
