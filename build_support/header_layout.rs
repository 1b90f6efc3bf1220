//! Rearranges cbindgen's output into the header's reading order (used by build.rs only).
//!
//! cbindgen writes every constant, then every type, then every function, and it cannot interleave
//! items or emit free-standing comments. A reader of the header wants what libgit2's headers give:
//! one group per class, opened by an overview, with the class's types beside its calls. So build.rs
//! lets cbindgen generate the header as usual and then this module
//!
//! 1. cuts the generated text into blocks: one declaration each (`#define`, `enum` + its typedef
//!    lines, opaque `typedef struct X X;`, `typedef struct X {…} X;`, a prototype), with its doc
//!    comment and its `#if defined(…)` / `#endif` guard, text kept byte for byte;
//! 2. assigns every block to a group of the table in build.rs (`GROUPS`) by its name;
//! 3. writes the prologue (top comment, include guard, includes) unchanged, a contents list, then
//!    each group: banner, overview, blocks in cbindgen's order, all inside the one `extern "C"`
//!    wrapper cbindgen emitted (moved to enclose everything; declaring types inside it is harmless);
//! 4. checks the result: parsed again, it holds exactly the blocks of cbindgen's output, and every
//!    type is declared before a declaration names it (C needs that, and a `struct x *` in a
//!    prototype before `x` is declared would silently declare a different, prototype-scope type).
//!
//! Anything unexpected (a block the table does not place, a line shape this parser does not know)
//! panics, so the build stops instead of shipping a header with a declaration in the wrong place.

use std::collections::{BTreeMap, BTreeSet};

/// One group of the header: a class (or the core types), as listed in build.rs.
pub struct Group {
    /// Doxygen group name (`@defgroup`), stable: bindings' docs may link to it.
    pub id: &'static str,
    /// Heading shown in the banner and the contents list.
    pub title: &'static str,
    /// Names placed here: `pp_foo` is an exact name; `pp_foo_*` is every name starting `pp_foo_`.
    /// Constants are matched in lower case (`PP_FOO_BAR` matches `pp_foo_*`). Exact names beat
    /// prefixes, longer prefixes beat shorter ones, so `pp_stream_peer_tcp_*` takes
    /// `pp_stream_peer_tcp_poll` from `pp_stream_peer_*` whatever the table order.
    pub names: &'static [&'static str],
    /// The overview, one string per line (without the ` * ` that is added).
    pub overview: &'static [&'static str],
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    Constant,
    Enum,
    Opaque,
    Struct,
    Typedef,
    Function,
}

impl Kind {
    fn is_type(self) -> bool {
        matches!(
            self,
            Kind::Enum | Kind::Opaque | Kind::Struct | Kind::Typedef
        )
    }
}

#[derive(Clone, Debug)]
pub struct Block {
    pub kind: Kind,
    pub name: String,
    /// The block exactly as cbindgen wrote it (no trailing newline).
    pub text: String,
    /// The C code of the declaration: `text` without comments and preprocessor lines.
    code: String,
}

/// The generated header cut into its parts.
#[derive(Debug)]
pub struct Parsed {
    /// Everything up to and including the `#include` lines, verbatim.
    pub prologue: String,
    pub blocks: Vec<Block>,
    /// Free-standing comments (the banners and overviews this module adds; cbindgen writes none).
    pub comments: Vec<String>,
    /// The `extern "C" {` opener and closer, and the include guard's `#endif`.
    pub open: String,
    pub close: String,
    pub guard_end: String,
}

const OPEN: &str = "#ifdef __cplusplus\nextern \"C\" {\n#endif // __cplusplus";
const CLOSE_FIRST: &str = "#ifdef __cplusplus\n}";

fn is_comment_start(line: &str) -> bool {
    line.trim_start().starts_with("/*")
}

/// Lines of a comment that starts at `lines[i]`: returns the index after it.
fn skip_comment(lines: &[&str], mut i: usize) -> usize {
    loop {
        let line = lines
            .get(i)
            .unwrap_or_else(|| panic!("header: unterminated comment"));
        i += 1;
        if line.trim_end().ends_with("*/") {
            return i;
        }
    }
}

fn identifiers(code: &str) -> impl Iterator<Item = &str> {
    code.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .filter(|w| !w.is_empty() && !w.starts_with(|c: char| c.is_ascii_digit()))
}

/// The C code of a block: no comment lines (also the field docs inside structs and enums), no
/// preprocessor lines.
fn code_of(lines: &[&str]) -> String {
    let mut out = String::new();
    let mut i = 0;
    while i < lines.len() {
        if is_comment_start(lines[i]) {
            i = skip_comment(lines, i);
            continue;
        }
        if !lines[i].trim_start().starts_with('#') {
            out.push_str(lines[i]);
            out.push('\n');
        }
        i += 1;
    }
    out
}

/// Parses one declaration: `lines` is a blank-line-separated chunk that starts with its doc comment
/// (if any) and may be wrapped in `#if …` / `#endif` (a cfg'd export such as `pp_test_panic`).
fn parse_block(lines: &[&str]) -> Block {
    let fail = |why: &str| -> ! {
        panic!(
            "header layout: cannot read this block of cbindgen's output ({why}); teach \
             build_support/header_layout.rs its shape:\n{}",
            lines.join("\n")
        )
    };
    let mut decl: &[&str] = lines;
    if decl[0].starts_with("#if") {
        if decl.last() != Some(&"#endif") {
            fail("an #if without a closing #endif");
        }
        decl = &decl[1..decl.len() - 1];
    }
    let mut i = 0;
    while i < decl.len() && is_comment_start(decl[i]) {
        i = skip_comment(decl, i);
    }
    let decl = &decl[i..];
    let Some(first) = decl.first() else {
        fail("a comment without a declaration")
    };
    let word = |s: &str, n: usize| -> String {
        s.split_whitespace()
            .nth(n)
            .unwrap_or_else(|| fail("a declaration line too short"))
            .trim_end_matches(';')
            .to_string()
    };
    let last = decl.last().copied().unwrap_or_default();
    let (kind, name) = if let Some(rest) = first.strip_prefix("#define ") {
        if decl.len() != 1 {
            fail("a #define over several lines");
        }
        (Kind::Constant, word(rest, 0))
    } else if first.starts_with("enum ") {
        // `enum X [: int32_t] { … };` then cbindgen's C typedef lines, all preprocessor or typedef.
        let Some(end) = decl.iter().position(|l| *l == "};") else {
            fail("an enum without `};`")
        };
        if !decl[end + 1..]
            .iter()
            .all(|l| l.starts_with('#') || l.starts_with("typedef "))
        {
            fail("unexpected lines after an enum");
        }
        (Kind::Enum, word(first, 1))
    } else if first.starts_with("typedef struct ") && first.ends_with(';') && decl.len() == 1 {
        (Kind::Opaque, word(first, 3))
    } else if first.starts_with("typedef struct ") && first.ends_with('{') {
        let name = word(first, 2);
        if last != format!("}} {name};") {
            fail("a struct that does not end with `} name;`");
        }
        (Kind::Struct, name)
    } else if first.starts_with("typedef ") {
        if decl.len() != 1 || !first.ends_with(';') {
            fail("a typedef over several lines");
        }
        // `typedef T name;` or a function pointer `typedef R (*name)(…);`.
        let name = match first.find("(*") {
            Some(p) => identifiers(&first[p..])
                .next()
                .unwrap_or_default()
                .to_string(),
            None => identifiers(first).last().unwrap_or_default().to_string(),
        };
        (Kind::Typedef, name)
    } else if first.contains('(') && last.ends_with(");") && !first.starts_with('#') {
        let before = &first[..first.find('(').unwrap_or(0)];
        let Some(name) = identifiers(before).last() else {
            fail("a prototype without a name")
        };
        (Kind::Function, name.to_string())
    } else {
        fail("not a known declaration")
    };
    Block {
        kind,
        name,
        text: lines.join("\n"),
        code: code_of(lines),
    }
}

/// Cuts a header (cbindgen's or ours) into its parts. Panics on anything it does not know.
pub fn parse(text: &str) -> Parsed {
    let lines: Vec<&str> = text.lines().collect();
    let last_include = lines
        .iter()
        .rposition(|l| l.starts_with("#include "))
        .expect("header layout: the header has #include lines");
    let prologue = lines[..=last_include].join("\n") + "\n";

    let mut chunks: Vec<Vec<&str>> = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    for line in &lines[last_include + 1..] {
        if line.trim().is_empty() {
            if !current.is_empty() {
                chunks.push(std::mem::take(&mut current));
            }
        } else {
            current.push(line);
        }
    }
    if !current.is_empty() {
        chunks.push(current);
    }

    let mut parsed = Parsed {
        prologue,
        blocks: Vec::new(),
        comments: Vec::new(),
        open: String::new(),
        close: String::new(),
        guard_end: String::new(),
    };
    for chunk in chunks {
        let joined = chunk.join("\n");
        if joined == OPEN {
            assert!(
                parsed.open.is_empty(),
                "header layout: two extern \"C\" openers"
            );
            parsed.open = joined;
        } else if joined.starts_with(CLOSE_FIRST) {
            assert!(
                parsed.close.is_empty(),
                "header layout: two extern \"C\" closers"
            );
            parsed.close = joined;
        } else if chunk.len() == 1 && chunk[0].starts_with("#endif") {
            assert!(parsed.guard_end.is_empty(), "header layout: two guard ends");
            parsed.guard_end = joined;
        } else if is_comment_start(chunk[0]) && skip_comment(&chunk, 0) == chunk.len() {
            parsed.comments.push(joined);
        } else {
            parsed.blocks.push(parse_block(&chunk));
        }
    }
    assert!(
        !parsed.open.is_empty() && !parsed.close.is_empty() && !parsed.guard_end.is_empty(),
        "header layout: cbindgen's extern \"C\" wrapper or include guard end not found"
    );
    parsed
}

/// The group a name belongs to by the table alone: exact name, else the longest matching prefix.
fn table_group(groups: &[Group], name: &str) -> Option<usize> {
    let lower = name.to_ascii_lowercase();
    let mut best: Option<(usize, usize)> = None; // (specificity, group)
    for (g, group) in groups.iter().enumerate() {
        for entry in group.names {
            let specificity = match entry.strip_suffix('*') {
                None if *entry == lower => usize::MAX,
                Some(prefix) if lower.starts_with(prefix) => prefix.len(),
                _ => continue,
            };
            match best {
                Some((s, other)) if s == specificity && other != g => panic!(
                    "header layout: `{name}` matches `{entry}` in group \"{}\" and an equally \
                     specific entry in group \"{}\"; make one of them more specific",
                    group.title, groups[other].title
                ),
                Some((s, _)) if s >= specificity => {}
                _ => best = Some((specificity, g)),
            }
        }
    }
    best.map(|(_, g)| g)
}

/// Places every block: opaque handles in the first group (core types), so every later group may
/// name any handle; others by the table; a type moves up to the first group that uses it, so it is
/// declared before its first use.
fn assign(groups: &[Group], blocks: &[Block]) -> Vec<usize> {
    let mut unplaced = Vec::new();
    let mut group_of: Vec<usize> = blocks
        .iter()
        .map(|b| {
            if b.kind == Kind::Opaque {
                return 0;
            }
            table_group(groups, &b.name).unwrap_or_else(|| {
                unplaced.push(format!("{:?} {}", b.kind, b.name));
                0
            })
        })
        .collect();
    if !unplaced.is_empty() {
        panic!(
            "header layout: no group of GROUPS in build.rs places these declarations:\n  {}\n\
             Add their names or a prefix (`pp_foo_*`) to the group of their class, or add a group.",
            unplaced.join("\n  ")
        );
    }
    let types: BTreeMap<&str, usize> = blocks
        .iter()
        .enumerate()
        .filter(|(_, b)| b.kind.is_type())
        .map(|(i, b)| (b.name.as_str(), i))
        .collect();
    // Moving a struct up may move the types it names up too: repeat until nothing moves.
    loop {
        let mut moved = false;
        for (user, block) in blocks.iter().enumerate() {
            for ident in identifiers(&block.code) {
                if let Some(&t) = types.get(ident) {
                    if t != user && group_of[user] < group_of[t] {
                        group_of[t] = group_of[user];
                        moved = true;
                    }
                }
            }
        }
        if !moved {
            return group_of;
        }
    }
}

fn push_comment(out: &mut String, lines: &[&str]) {
    out.push_str("/**\n");
    for line in lines {
        if line.is_empty() {
            out.push_str(" *\n");
        } else {
            out.push_str(" * ");
            out.push_str(line);
            out.push('\n');
        }
    }
    out.push_str(" */\n\n");
}

/// cbindgen's header (`raw`) in the reading order of `groups`.
pub fn arrange(groups: &[Group], raw: &str) -> String {
    let parsed = parse(raw);
    assert!(
        parsed.comments.is_empty(),
        "header layout: cbindgen wrote a free-standing comment; this module does not know where it goes"
    );
    let group_of = assign(groups, &parsed.blocks);
    for (g, group) in groups.iter().enumerate() {
        assert!(
            group_of.contains(&g),
            "header layout: group \"{}\" places no declaration (a stale or misspelt entry in GROUPS)",
            group.title
        );
        // The overview introduces the class; the details belong to the calls' own docs.
        assert!(
            (1..=16).contains(&group.overview.len()),
            "header layout: the overview of \"{}\" should be short (at most 16 lines)",
            group.title
        );
        for line in group.overview.iter().chain([&group.title]) {
            assert!(
                line.chars().count() + 3 <= 110,
                "header layout: overview line longer than the header's 110 columns: {line}"
            );
        }
    }

    let mut out = parsed.prologue.clone();
    out.push('\n');
    let mut contents: Vec<String> = vec![
        "CONTENTS: the declarations come grouped by class, in the order a program meets them; each group"
            .into(),
        "opens with an overview of the class (lifecycle, ownership, events). Every opaque handle is".into(),
        "declared in group 1, so any group may name any handle.".into(),
    ];
    for (g, group) in groups.iter().enumerate() {
        contents.push(format!("  {:>2}. {}", g + 1, group.title));
    }
    let contents: Vec<&str> = contents.iter().map(String::as_str).collect();
    // A plain comment, not a doc comment: doxygen would attach it to the next declaration.
    out.push_str("/*\n");
    for line in contents {
        out.push_str(&format!(" * {line}\n"));
    }
    out.push_str(" */\n\n");
    out.push_str(&parsed.open);
    out.push_str("\n\n");
    let rule = "=".repeat(100);
    for (g, group) in groups.iter().enumerate() {
        out.push_str(&format!(
            "/* {rule}\n * {}. {}\n * {rule} */\n\n",
            g + 1,
            group.title
        ));
        let mut lines = vec![format!("@defgroup {} {}", group.id, group.title)];
        lines.push(String::new());
        lines.extend(group.overview.iter().map(|l| l.to_string()));
        lines.push(String::new());
        lines.push("@{".into());
        let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
        push_comment(&mut out, &lines);
        for (block, _) in parsed
            .blocks
            .iter()
            .zip(&group_of)
            .filter(|(_, &bg)| bg == g)
        {
            out.push_str(&block.text);
            out.push_str("\n\n");
        }
        out.push_str("/** @} */\n\n");
    }
    out.push_str(&parsed.close);
    out.push_str("\n\n");
    out.push_str(&parsed.guard_end);
    out.push('\n');

    check_same_declarations(raw, &out);
    check_declared_before_use(&out);
    out
}

/// The arranged header holds exactly cbindgen's declarations, each byte for byte, each once, and
/// cbindgen's prologue, wrapper and guard unchanged. It parses `arranged` again (rather than trusting
/// the data `arrange` wrote it from), so a block lost, doubled or glued to a comment while writing
/// is caught too.
pub fn check_same_declarations(raw: &str, arranged: &str) {
    let a = parse(raw);
    let b = parse(arranged);
    assert_eq!(
        a.prologue, b.prologue,
        "header layout: the prologue changed"
    );
    assert_eq!(
        a.open, b.open,
        "header layout: the extern \"C\" opener changed"
    );
    assert_eq!(
        a.close, b.close,
        "header layout: the extern \"C\" closer changed"
    );
    assert_eq!(
        a.guard_end, b.guard_end,
        "header layout: the guard end changed"
    );
    let set = |p: &Parsed| -> BTreeSet<(Kind, String, String)> {
        let mut set = BTreeSet::new();
        for block in &p.blocks {
            assert!(
                set.insert((block.kind, block.name.clone(), block.text.clone())),
                "header layout: {} is declared twice",
                block.name
            );
        }
        set
    };
    let (sa, sb) = (set(&a), set(&b));
    let missing: Vec<&String> = sa.difference(&sb).map(|(_, n, _)| n).collect();
    let extra: Vec<&String> = sb.difference(&sa).map(|(_, n, _)| n).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "header layout: declarations differ from cbindgen's: missing or changed {missing:?}, \
         extra or changed {extra:?}"
    );
    let mut names = BTreeSet::new();
    for block in &b.blocks {
        assert!(
            names.insert(&block.name),
            "header layout: two declarations named {}",
            block.name
        );
    }
}

/// Every enum, struct and typedef is declared above the first declaration that names it.
pub fn check_declared_before_use(header: &str) {
    let parsed = parse(header);
    let types: BTreeSet<&str> = parsed
        .blocks
        .iter()
        .filter(|b| b.kind.is_type())
        .map(|b| b.name.as_str())
        .collect();
    let mut declared = BTreeSet::new();
    for block in &parsed.blocks {
        for ident in identifiers(&block.code) {
            if ident != block.name && types.contains(ident) && !declared.contains(ident) {
                panic!(
                    "header layout: {} names {ident} before its declaration; place {ident} in an \
                     earlier group (or in the core types)",
                    block.name
                );
            }
        }
        if block.kind.is_type() {
            declared.insert(block.name.as_str());
        }
    }
}
