"""The chat and prompt_completion views with the clients people train with: a chat template through
transformers' apply_chat_template, TRL's format check, and TRL's SFTTrainer for a few steps.

Nothing is downloaded: the tokenizer is trained here with ``tokenizers`` on the built texts and given
a chat template; the model is a tiny randomly initialised one built from a config.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from medqa_ds.pipeline import BuildOptions, build

from conftest import ROOT

TEMPLATE = (
    "{% for m in messages %}{% if m['role'] == 'system' %}{{ raise_exception('no system message') }}{% endif %}"
    "<|{{ m['role'] }}|>\n{{ m['content'] }}{{ eos_token }}\n{% endfor %}"
    "{% if add_generation_prompt %}<|assistant|>\n{% endif %}"
)


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    """A build of every invented fixture page (copied under unique names)."""
    raw = tmp_path_factory.mktemp("trl") / "raw"
    raw.mkdir()
    for page in sorted((ROOT / "tests" / "fixtures").rglob("*.txt")):
        shutil.copy(page, raw / f"{page.parent.name}__{page.name}")
    for page in (ROOT / "raw").glob("*.txt"):
        shutil.copy(page, raw / page.name)
    out = raw.parent / "out"
    build(raw, out, BuildOptions(workers=1))
    return out


@pytest.fixture(scope="module")
def views(folder):
    from datasets import load_dataset

    return {name: load_dataset(str(folder), name, split="train") for name in ("chat", "prompt_completion")}


@pytest.fixture(scope="module")
def tokenizer(views):
    from tokenizers import Tokenizer, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast

    special = ["<unk>", "<pad>", "<eos>", "<|user|>", "<|assistant|>"]
    raw = Tokenizer(models.WordLevel(unk_token="<unk>"))
    raw.pre_tokenizer = pre_tokenizers.Whitespace()
    texts = [m["content"] for row in views["chat"] for m in row["messages"]]
    raw.train_from_iterator(texts, trainers.WordLevelTrainer(special_tokens=special, min_frequency=1))
    tok = PreTrainedTokenizerFast(tokenizer_object=raw, unk_token="<unk>", pad_token="<pad>", eos_token="<eos>")
    tok.chat_template = TEMPLATE
    return tok


def test_every_chat_row_renders_through_a_chat_template(views, tokenizer):
    rows = list(views["chat"])
    assert rows
    for row in rows:
        text = tokenizer.apply_chat_template(row["messages"], tokenize=False)
        assert text.count("<|user|>") + text.count("<|assistant|>") == len(row["messages"])
        assert all(m["content"] in text for m in row["messages"])
        encoded = tokenizer.apply_chat_template(row["messages"], tokenize=True)
        ids = encoded["input_ids"] if hasattr(encoded, "keys") else encoded  # transformers 5 returns a dict
        assert len(ids) > len(row["messages"]) and ids.count(tokenizer.eos_token_id) == len(row["messages"])


def test_every_prompt_renders_with_a_generation_prompt_and_the_completion_after_it(views, tokenizer):
    for row in views["prompt_completion"]:
        prompt = tokenizer.apply_chat_template(row["prompt"], tokenize=False, add_generation_prompt=True)
        whole = tokenizer.apply_chat_template(row["prompt"] + row["completion"], tokenize=False)
        assert prompt.endswith("<|assistant|>\n") and whole.startswith(prompt)


def test_trl_takes_both_views_as_conversational(views):
    from trl.data_utils import is_conversational

    assert views["chat"].column_names == ["id", "source", "messages"]
    assert views["prompt_completion"].column_names == ["id", "source", "prompt", "completion"]
    for name, ds in views.items():
        assert all(is_conversational(row) for row in ds), name
    chat_ids = views["chat"]["id"]
    assert views["prompt_completion"]["id"] == chat_ids


@pytest.mark.parametrize("view", ["chat", "prompt_completion"])
def test_sft_trainer_runs_a_few_steps_on_a_tiny_model(views, tokenizer, view, tmp_path):
    import torch
    from transformers import LlamaConfig, LlamaForCausalLM
    from trl import SFTConfig, SFTTrainer

    torch.manual_seed(0)
    config = LlamaConfig(
        vocab_size=len(tokenizer),
        hidden_size=32,
        intermediate_size=64,
        num_hidden_layers=2,
        num_attention_heads=2,
        num_key_value_heads=2,
        max_position_embeddings=512,
        pad_token_id=tokenizer.pad_token_id,
        eos_token_id=tokenizer.eos_token_id,
    )
    model = LlamaForCausalLM(config)
    args = SFTConfig(
        output_dir=str(tmp_path),
        max_steps=3,
        per_device_train_batch_size=2,
        learning_rate=1e-3,
        max_length=256,
        logging_steps=1,
        save_strategy="no",
        report_to=[],
        use_cpu=True,
        dataloader_num_workers=0,
        seed=0,
    )
    trainer = SFTTrainer(
        model=model, args=args, train_dataset=views[view].remove_columns(["id", "source"]), processing_class=tokenizer
    )
    result = trainer.train()
    assert result.global_step == 3
    losses = [log["loss"] for log in trainer.state.log_history if "loss" in log]
    assert losses and all(loss == loss and loss > 0 for loss in losses)  # finite, not NaN
