#!/usr/bin/env python3
"""Doxygen INPUT_FILTER: ctnet's plain // comments become documentation.

Usage (by Doxygen): doxygen_filter.py HEADER   (the filtered text goes to stdout)

ctnet's headers document their declarations with ordinary // comments written
directly above them, which Doxygen does not read as documentation. Rather
than rewrite every header in Doxygen's dialect, this filter rewrites the
text Doxygen sees, line for line (so its line numbers and source listings
stay those of the file):

- the comment at the top of a header (`// name.hpp — what it is`) becomes the
  file's documentation (`/// @file name.hpp what it is`);
- a block of // lines directly above a declaration (no blank line between)
  at namespace or class scope becomes a /// block, so it documents that
  declaration; a block followed by a blank line stays a plain comment, as
  it introduces a group rather than one declaration;
- `declaration;  // note` at namespace or class scope becomes `///< note`;
- comments inside function bodies and before preprocessor lines are left
  alone, so they never end up in a function's documentation;
- `<name>` in prose is escaped, because Doxygen would read it as an HTML tag;
- `namespace ctnet::inline CTNET_ABI` becomes `namespace ctnet`: the inline
  namespace named after the SIMD backend is an ABI detail (see
  simd/backend.hpp), and the reference shows the names users write.
"""
import pathlib, re, sys

COMMENT = re.compile(r'^(\s*)//(?!/)(.*)$')
ABI = re.compile(r'::inline\s+CTNET_ABI\b')
TEMPLATE_HEAD = re.compile(r'^\s*template\s*<')
PLACEHOLDER = re.compile(r'<(/?\w+)>')


def code_and_comment(line):
    """Splits a line at its first // outside string and character literals."""
    quote, i = None, 0
    while i < len(line):
        c = line[i]
        if quote:
            if c == '\\':
                i += 1
            elif c == quote:
                quote = None
        elif c in '"\'':
            quote = c
        elif line.startswith('//', i):
            return line[:i], line[i:]
        i += 1
    return line, ''


def escape(text):
    """`<prefix>` in prose is a placeholder, not the HTML tag Doxygen would take it for.

    Code blocks (indented 4 more) and `code spans` are verbatim and left alone."""
    if text.startswith('     '):
        return text
    parts = text.split('`')
    parts[::2] = [PLACEHOLDER.sub(r'\\<\1\\>', part) for part in parts[::2]]
    return '`'.join(parts)


def strip_template_head(head):
    """`template <...> struct X` -> `struct X` (the <...> balanced)."""
    match = TEMPLATE_HEAD.match(head)
    if not match:
        return head.strip()
    depth, i = 1, match.end()
    while i < len(head) and depth:
        depth += {'<': 1, '>': -1}.get(head[i], 0)
        i += 1
    return strip_template_head(head[i:])


def scope_kind(head):
    """What a { opens, from the text before it: a namespace, a class, or anything else."""
    head = strip_template_head(' '.join(head.split()))
    if re.match(r'(inline\s+)?namespace\b|extern\s+"C', head):
        return 'namespace'
    if re.match(r'(struct|class|union|enum)\b', head) and '(' not in head.split(':')[0]:
        return 'class'
    return 'other'


class Scopes:
    """Follows braces through the code, to know whether a line is at namespace or class scope."""

    def __init__(self):
        self.stack, self.head = [], ''

    def documentable(self):
        return all(kind != 'other' for kind in self.stack)

    def feed(self, code):
        quote = None
        for c in code:
            if quote:
                quote = None if c == quote else quote
                continue
            if c in '"\'':
                quote = c
            elif c == '{':
                self.stack.append(scope_kind(self.head))
                self.head = ''
            elif c == '}':
                if self.stack:
                    self.stack.pop()
                self.head = ''
            elif c == ';':
                self.head = ''
            else:
                self.head += c
        self.head += ' '


def is_declaration_start(line):
    stripped = line.strip()
    return bool(stripped) and not stripped.startswith(('#', '//', '}', 'public:', 'private:', 'protected:'))


def document(out, block, name, documents_declaration):
    """Turns the // block (line indices) into Doxygen's, if it documents something."""
    if block[0] == 0:  # the comment that opens a header documents the file
        first = re.sub(r'^\S+\s+—\s+', '', COMMENT.match(out[0]).group(2).strip())
        out[0] = f'/// @file {name} {escape(first)}'
        block = block[1:]
    elif not documents_declaration:
        return
    for i in block:
        indent, text = COMMENT.match(out[i]).groups()
        out[i] = f'{indent}///{escape(text)}'


def filter_lines(lines, name):
    out = list(lines)
    scopes, block, in_directive = Scopes(), [], False
    for n, line in enumerate(lines):
        line = out[n] = ABI.sub('', line)
        if not in_directive and COMMENT.match(line):
            block.append(n)
            continue
        directive = in_directive or line.lstrip().startswith('#')
        if block:
            document(out, block, name, not directive and is_declaration_start(line) and scopes.documentable())
            block = []
        if directive:  # maybe continued with \; a macro's braces are not scopes
            in_directive = line.rstrip().endswith('\\')
            continue
        code, comment = code_and_comment(line)
        if comment and code.rstrip().endswith(';') and scopes.documentable():
            out[n] = code + '///<' + escape(comment[2:])
        scopes.feed(code)
    return out


def main():
    path = pathlib.Path(sys.argv[1])
    lines = path.read_text(encoding='utf-8').split('\n')
    sys.stdout.write('\n'.join(filter_lines(lines, path.name)))


if __name__ == '__main__':
    main()
