"""The XLSForm expression subset we run on the server: tokenizer, parser and syntax tree.

Relevance, constraints and choice filters are written in XPath as XLSForm prescribes. The web survey
must apply the same skip logic and checks as ODK Collect or KoboToolbox would, without ``eval()``
and without a full XPath engine, so we parse a deliberately small subset into a tree once (at load
time, where syntax errors become instrument errors) and evaluate the tree per answer set
(:mod:`civicmeter.instruments.evaluator`).

Grammar (lowest precedence first, all binary operators left-associative)::

    or      := and ('or' and)*
    and     := eq ('and' eq)*
    eq      := rel (('=' | '!=') rel)*
    rel     := add (('<' | '>' | '<=' | '>=') add)*
    add     := mul (('+' | '-') mul)*
    mul     := unary (('*' | 'div' | 'mod') unary)*
    unary   := '-' unary | primary
    primary := NUMBER | STRING | '${name}' | '.' | FUNCTION '(' args ')' | '(' or ')' | NAME

A bare ``NAME`` is a column of the choices sheet and is only meaningful in a ``choice_filter``
(``region = ${region}``); the loader rejects it anywhere else.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

#: Functions the evaluator implements, with the argument counts each accepts.
FUNCTIONS: dict[str, tuple[int, ...]] = {
    "not": (1,),
    "selected": (2,),
    "count-selected": (1,),
    "string-length": (0, 1),
    "regex": (2,),
}

BINARY_PRECEDENCE: dict[str, int] = {
    "or": 1,
    "and": 2,
    "=": 3,
    "!=": 3,
    "<": 4,
    ">": 4,
    "<=": 4,
    ">=": 4,
    "+": 5,
    "-": 5,
    "*": 6,
    "div": 6,
    "mod": 6,
}

UNKNOWN_FUNCTION = "unsupported function '{name}()'; the supported functions are {supported}"
WRONG_ARITY = "function '{name}()' takes {expected} argument(s), got {got}"
UNEXPECTED = "unexpected {found} at position {pos}; expected {expected}"
BAD_CHARACTER = "unexpected character {char!r} at position {pos}"
UNCLOSED_STRING = "string starting at position {pos} is not closed with a matching quote"
BAD_REFERENCE = "question reference at position {pos} must look like ${{question_name}}"

_NAME = r"[A-Za-z_][A-Za-z0-9_.\-]*"
_TOKEN_RE = re.compile(
    rf"""
    (?P<ws>\s+)
  | (?P<ref>\$\{{(?P<refname>{_NAME})\}})
  | (?P<number>\d+(?:\.\d*)?|\.\d+)
  | (?P<op>!=|<=|>=|=|<|>|\+|-|\*|\(|\)|,)
  | (?P<dot>\.)
  | (?P<name>[A-Za-z_][A-Za-z0-9_\-]*)
    """,
    re.VERBOSE,
)


class ExpressionSyntaxError(ValueError):
    """The text is not an expression in the supported subset; ``function`` is set when the cause
    is a function we do not implement (the loader reports those under their own code)."""

    def __init__(self, message: str, *, function: str | None = None):
        super().__init__(message)
        self.function = function


@dataclass(frozen=True)
class Number:
    value: float


@dataclass(frozen=True)
class String:
    value: str


@dataclass(frozen=True)
class Ref:
    """``${name}``: the stored answer of another question."""

    name: str


@dataclass(frozen=True)
class Current:
    """``.``: the value of the question the expression belongs to."""


@dataclass(frozen=True)
class Field:
    """A bare name: a choices-sheet column, read while filtering choices."""

    name: str


@dataclass(frozen=True)
class Call:
    name: str
    args: tuple[Node, ...]


@dataclass(frozen=True)
class Binary:
    op: str
    left: Node
    right: Node


@dataclass(frozen=True)
class Negate:
    operand: Node


Node = Number | String | Ref | Current | Field | Call | Binary | Negate


@dataclass(frozen=True)
class Token:
    kind: str  # number, string, ref, dot, op, name, end
    text: str
    pos: int


def tokenize(text: str) -> list[Token]:
    """Split ``text`` into tokens, ending with an ``end`` token."""
    tokens: list[Token] = []
    pos = 0
    while pos < len(text):
        char = text[pos]
        if char in "'\"":
            close = text.find(char, pos + 1)
            if close < 0:
                raise ExpressionSyntaxError(UNCLOSED_STRING.format(pos=pos))
            tokens.append(Token("string", text[pos + 1 : close], pos))
            pos = close + 1
            continue
        match = _TOKEN_RE.match(text, pos)
        if match is None:
            if char == "$":
                raise ExpressionSyntaxError(BAD_REFERENCE.format(pos=pos))
            raise ExpressionSyntaxError(BAD_CHARACTER.format(char=char, pos=pos))
        kind = match.lastgroup if match.lastgroup != "refname" else "ref"
        if kind == "ref":
            tokens.append(Token("ref", match.group("refname"), pos))
        elif kind != "ws":
            tokens.append(Token(kind, match.group(), pos))
        pos = match.end()
    tokens.append(Token("end", "", len(text)))
    return tokens


def parse(text: str) -> Node:
    """Parse one expression; raise :class:`ExpressionSyntaxError` naming the position."""
    return _Parser(tokenize(text)).parse()


def walk(node: Node) -> Iterator[Node]:
    """Every node of the tree, parents before children."""
    yield node
    if isinstance(node, Call):
        for arg in node.args:
            yield from walk(arg)
    elif isinstance(node, Binary):
        yield from walk(node.left)
        yield from walk(node.right)
    elif isinstance(node, Negate):
        yield from walk(node.operand)


def references(node: Node) -> set[str]:
    """Names of the questions an expression reads through ``${...}``."""
    return {n.name for n in walk(node) if isinstance(n, Ref)}


def fields(node: Node) -> set[str]:
    """Bare (choices-sheet column) names an expression reads."""
    return {n.name for n in walk(node) if isinstance(n, Field)}


def unparse(node: Node) -> str:
    """Write a tree back as expression text; parsing the result gives the same tree."""
    if isinstance(node, Number):
        return repr(node.value) if not node.value.is_integer() else str(int(node.value))
    if isinstance(node, String):
        quote = "'" if "'" not in node.value else '"'
        return f"{quote}{node.value}{quote}"
    if isinstance(node, Ref):
        return f"${{{node.name}}}"
    if isinstance(node, Current):
        return "."
    if isinstance(node, Field):
        return node.name
    if isinstance(node, Call):
        return f"{node.name}({', '.join(unparse(a) for a in node.args)})"
    if isinstance(node, Negate):
        return f"-{_unparse_operand(node.operand)}"
    return f"({unparse(node.left)} {node.op} {unparse(node.right)})"


def _unparse_operand(node: Node) -> str:
    text = unparse(node)
    return f"({text})" if isinstance(node, Negate) else text


class _Parser:
    """Precedence climbing over the token list."""

    def __init__(self, tokens: list[Token]):
        self.tokens = tokens
        self.index = 0

    @property
    def current(self) -> Token:
        return self.tokens[self.index]

    def advance(self) -> Token:
        token = self.tokens[self.index]
        self.index += 1
        return token

    def fail(self, expected: str) -> ExpressionSyntaxError:
        token = self.current
        found = "end of expression" if token.kind == "end" else repr(token.text)
        return ExpressionSyntaxError(
            UNEXPECTED.format(found=found, pos=token.pos, expected=expected)
        )

    def parse(self) -> Node:
        node = self.binary(1)
        if self.current.kind != "end":
            raise self.fail("an operator or the end of the expression")
        return node

    def binary_op(self) -> str | None:
        token = self.current
        if token.kind in ("op", "name") and token.text in BINARY_PRECEDENCE:
            return token.text
        return None

    def binary(self, min_precedence: int) -> Node:
        left = self.unary()
        while (op := self.binary_op()) is not None and BINARY_PRECEDENCE[op] >= min_precedence:
            self.advance()
            right = self.binary(BINARY_PRECEDENCE[op] + 1)
            left = Binary(op, left, right)
        return left

    def unary(self) -> Node:
        if self.current.kind == "op" and self.current.text == "-":
            self.advance()
            return Negate(self.unary())
        return self.primary()

    def primary(self) -> Node:
        token = self.current
        if token.kind == "number":
            self.advance()
            return Number(float(token.text))
        if token.kind == "string":
            self.advance()
            return String(token.text)
        if token.kind == "ref":
            self.advance()
            return Ref(token.text)
        if token.kind == "dot":
            self.advance()
            return Current()
        if token.kind == "op" and token.text == "(":
            self.advance()
            node = self.binary(1)
            self.expect(")")
            return node
        if token.kind == "name" and self.tokens[self.index + 1].text == "(":
            return self.call()
        if token.kind == "name" and token.text not in BINARY_PRECEDENCE:
            self.advance()
            return Field(token.text)
        raise self.fail("a value, ${question}, '.', a function call or '('")

    def expect(self, text: str) -> None:
        if self.current.text != text or self.current.kind not in ("op",):
            raise self.fail(repr(text))
        self.advance()

    def call(self) -> Call:
        name = self.advance().text
        if name not in FUNCTIONS:
            supported = ", ".join(f"{f}()" for f in FUNCTIONS)
            raise ExpressionSyntaxError(
                UNKNOWN_FUNCTION.format(name=name, supported=supported), function=name
            )
        self.expect("(")
        args: list[Node] = []
        if not (self.current.kind == "op" and self.current.text == ")"):
            args.append(self.binary(1))
            while self.current.kind == "op" and self.current.text == ",":
                self.advance()
                args.append(self.binary(1))
        self.expect(")")
        if len(args) not in FUNCTIONS[name]:
            expected = " or ".join(str(n) for n in FUNCTIONS[name])
            raise ExpressionSyntaxError(
                WRONG_ARITY.format(name=name, expected=expected, got=len(args))
            )
        return Call(name, tuple(args))
