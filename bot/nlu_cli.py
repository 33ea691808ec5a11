"""``frontdoor nlu ...``: train, validate, evaluate and try the free-text understanding."""

from __future__ import annotations

import argparse
import json
import sys
import time
from contextlib import AsyncExitStack
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING

from bot.cli import CliCommands, CliParsers
from bot.settings import Settings

if TYPE_CHECKING:
    from nlu.training_data import TrainingData

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def add_parser(parsers: CliParsers) -> None:
    nlu = parsers.commands.add_parser(
        "nlu",
        help="free-text understanding: train, validate, evaluate, parse",
        description="Work with the NLU model trained from nlu/data (Rasa 3.1 YAML).",
        epilog=parsers.epilog,
    )
    actions = nlu.add_subparsers(dest="nlu_command", required=True, metavar="ACTION")
    actions.add_parser(
        "train", help="train the embedded model into FRONTDOOR_NLU_CACHE_DIR (once per data version)"
    )
    actions.add_parser(
        "validate", help="check the training data (duplicates, counts, intents the dialogs use)"
    )
    evaluate = actions.add_parser(
        "evaluate",
        help="cross-validated accuracy and macro-F1 against a keyword baseline; --test for a held-out file",
    )
    evaluate.add_argument("--test", type=Path, metavar="FILE", help="held-out file of intent<TAB>text lines")
    evaluate.add_argument("--folds", type=int, default=5, help="cross-validation folds (default: 5)")
    parse = actions.add_parser("parse", help="print what the configured backend understands in TEXT (JSON)")
    parse.add_argument("text", help="the message, in quotes")


async def nlu_command(settings: Settings, args: argparse.Namespace) -> int:
    from nlu import training_data

    action: str = args.nlu_command
    if action == "parse":
        return await _parse(settings, args.text)
    data = training_data.load()
    if action == "validate":
        return _validate(data)
    if action == "train":
        from nlu.embedded import load_or_train

        started = time.perf_counter()
        model = load_or_train(Path(settings.nlu.nlu_cache_dir), data)
        print(
            f"model ready in {time.perf_counter() - started:.1f} s: {len(data.examples)} examples, "
            f"{len(model.intents)} intents, {model.size_bytes() / 1024:.0f} KiB, "
            f"cache {settings.nlu.nlu_cache_dir}"
        )
        return EXIT_OK
    return _evaluate(data, args)


def _validate(data: TrainingData) -> int:
    from dialogs.features import intent_routes
    from nlu.validate import problems

    found = problems(data, intent_routes())
    for problem in found:
        print(problem)
    print(f"{len(data.examples)} examples, {len(data.intents)} intents: {'ok' if not found else 'FAILED'}")
    return EXIT_OK if not found else EXIT_FAILED


def _evaluate(data: TrainingData, args: argparse.Namespace) -> int:
    from nlu.embedded import EmbeddedModel
    from nlu.entities import EntityExtractor
    from nlu.entity_eval import entity_scores, format_entity_scores
    from nlu.evaluate import HeldOutError, cross_validate, format_scores, held_out, read_held_out_examples

    if args.folds < 2:
        print("frontdoor: --folds must be at least 2", file=sys.stderr)
        return EXIT_USAGE
    started = time.perf_counter()
    model_scores, baseline_scores = cross_validate(data, folds=args.folds)
    print(format_scores(f"{args.folds}-fold stratified cross-validation", model_scores, baseline_scores))
    print(f"(cross-validation took {time.perf_counter() - started:.1f} s)")
    extractor = EntityExtractor(data)
    annotated = [example for example in data.examples if example.entities]
    # The extractor learns nothing from examples, so no folds are needed. Its catalogues were written beside
    # these examples (flattering recall) and the examples do not mark every entity (many dates are left
    # bare, understating precision): the held-out file, annotated throughout, gives the fairer figures.
    title = (
        f"training annotations: {len(annotated)} annotated examples (all {len(data.examples)} scored; "
        "not every entity is marked there, so precision is a lower bound)"
    )
    print()
    print(format_entity_scores(title, entity_scores(data.examples, extractor)))
    if args.test is not None:
        try:
            examples = read_held_out_examples(args.test, data.intents)
        except (OSError, HeldOutError) as problem:
            print(f"frontdoor: --test: {problem}", file=sys.stderr)
            return EXIT_USAGE
        started = time.perf_counter()
        model = EmbeddedModel.train(data)
        trained = time.perf_counter() - started
        pairs = [(example.intent, example.text) for example in examples]
        model_scores, baseline_scores = held_out(pairs, data, lambda text: model.parse_now(text).intent)
        print()
        print(format_scores(f"held-out {args.test.name}", model_scores, baseline_scores))
        size = model.size_bytes() / 1024
        print(f"(training on all examples took {trained:.1f} s; model size {size:.0f} KiB)")
        if any(example.entities for example in examples):  # a file with markup is annotated throughout
            print()
            title = f"held-out {args.test.name}: {sum(1 for e in examples if e.entities)} annotated lines"
            print(format_entity_scores(title, entity_scores(examples, extractor)))
    return EXIT_OK


async def _parse(settings: Settings, text: str) -> int:
    from bot.app import build_nlu
    from nlu.types import NluUnavailable

    async with AsyncExitStack() as resources:
        nlu = await build_nlu(settings, resources)
        if nlu is None:
            print("frontdoor: NLU is off (FRONTDOOR_NLU_BACKEND=off)", file=sys.stderr)
            return EXIT_USAGE
        try:
            parse = await nlu.parse(text)
        except NluUnavailable as problem:
            print(f"frontdoor: {problem}", file=sys.stderr)
            return EXIT_FAILED
    print(json.dumps(asdict(parse), ensure_ascii=False, indent=2))
    return EXIT_OK


COMMAND_LINE = CliCommands(add=add_parser, commands={"nlu": nlu_command})
