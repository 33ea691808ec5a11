"""Rendering an Outcome for the terminal: texts, continuous option numbers, documents, the notice."""

from __future__ import annotations

from pathlib import Path

from bot.console.documents import save_document
from bot.console.render import render
from dialogs.ui import Button, Document, Outcome, Reply, column, rows


def not_saved(document: Document) -> Path:
    raise AssertionError("no document expected")


def test_each_reply_is_printed_with_a_blank_line_after_it():
    shown = render(Outcome((Reply("Первый"), Reply("Второй\nстрока"))), not_saved)
    assert shown.lines == ("Первый", "", "Второй\nстрока", "")
    assert shown.options == ()


def test_options_are_numbered_on_across_replies_and_rows():
    a, b, c = Button("Да", "t1"), Button("Нет", "t2"), Button("Меню", "t3")
    outcome = Outcome((Reply("Вопрос?", rows((a, b))), Reply("Или:", column(c))))
    shown = render(outcome, not_saved)
    assert shown.lines == ("Вопрос?", "  1) Да", "  2) Нет", "", "Или:", "  3) Меню", "")
    assert shown.options == (a, b, c)


def test_the_notice_is_printed_on_its_own_line_first():
    shown = render(Outcome((Reply("Готово"),), notice="Сохранено"), not_saved)
    assert shown.lines == ("(Сохранено)", "Готово", "")


def test_a_notice_alone_is_printed_too():
    assert render(Outcome(notice="Кнопка устарела"), not_saved).lines == ("(Кнопка устарела)",)


def test_a_document_is_saved_and_reported(tmp_path):
    document = Document("export.json", b"{}", "application/json")
    shown = render(Outcome((Reply("Файл:", document=document),)), lambda d: save_document(d, tmp_path))
    assert shown.lines == ("Файл:", f"[документ сохранён: {tmp_path / 'export.json'}]", "")
    assert (tmp_path / "export.json").read_bytes() == b"{}"


def test_documents_stay_inside_the_export_folder(tmp_path):
    folder = tmp_path / "exports"
    assert save_document(Document("../../evil.sh", b"x"), folder) == folder / "evil.sh"
    assert save_document(Document("..", b"x"), folder) == folder / "document"
    assert save_document(Document("", b"x"), folder) == folder / "document-1"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["exports"]


def test_documents_never_overwrite_an_earlier_one(tmp_path):
    first = save_document(Document("data.json", b"1"), tmp_path)
    second = save_document(Document("data.json", b"2"), tmp_path)
    assert (first.name, second.name) == ("data.json", "data-1.json")
    assert (first.read_bytes(), second.read_bytes()) == (b"1", b"2")
