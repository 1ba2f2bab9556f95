#include "sim/cli/help_text.h"

#include <algorithm>
#include <sstream>

namespace pjsim::cli {

namespace {

// Paragraphs of a declaration's text: blank-line separated; `preformatted` when its lines start
// with two spaces (kept as written).
struct Paragraph {
  std::string text;
  bool preformatted = false;
};

std::vector<Paragraph> Paragraphs(const std::string& text) {
  std::vector<Paragraph> out;
  std::istringstream in(text);
  Paragraph current;
  const auto flush = [&] {
    if (!current.text.empty()) out.push_back(current);
    current = {};
  };
  for (std::string line; std::getline(in, line);) {
    if (line.find_first_not_of(' ') == std::string::npos) {
      flush();
      continue;
    }
    if (current.text.empty()) current.preformatted = line.starts_with("  ");
    current.text += (current.text.empty() ? "" : "\n") + line;
  }
  flush();
  return out;
}

// Words split at spaces and newlines.
std::vector<std::string> Words(const std::string& text) {
  std::vector<std::string> words;
  std::istringstream in(text);
  for (std::string w; in >> w;) words.push_back(w);
  return words;
}

// A usage synopsis wrapped at spaces outside brackets where it can be, continuation lines
// aligned after "usage: pjsim NAME ".
std::vector<std::string> WrapUsage(const std::string& head, const std::string& synopsis,
                                   size_t width) {
  // Chunks: runs of words at bracket depth > 0 stay together.
  std::vector<std::string> chunks;
  int depth = 0;
  std::string chunk;
  for (const std::string& w : Words(synopsis)) {
    chunk += (chunk.empty() ? "" : " ") + w;
    for (char c : w) depth += c == '[' ? 1 : c == ']' ? -1 : 0;
    if (depth <= 0) {
      chunks.push_back(chunk);
      chunk.clear();
      depth = 0;
    }
  }
  if (!chunk.empty()) chunks.push_back(chunk);
  std::vector<std::string> lines = {head};
  const std::string indent(head.size() + 1, ' ');
  for (const std::string& c : chunks) {
    if (lines.back() != head && lines.back().size() + 1 + c.size() > width) {
      lines.push_back(indent + c);
    } else {
      lines.back() += " " + c;
    }
  }
  return lines;
}

struct Entry {
  std::string label;
  std::string help;
};

std::vector<Entry> Entries(const CommandSpec& spec) {
  std::vector<Entry> entries;
  for (const PositionalSpec& p : spec.positionals) {
    entries.push_back({p.name + (p.repeatable ? "..." : ""), p.help});
  }
  for (const FlagSpec& f : spec.flags) {
    if (!f.hidden) {
      std::string help = f.help;
      if (f.repeatable) help += " (repeatable)";
      entries.push_back({FlagLabel(f), help});
    }
  }
  return entries;
}

// Markdown outside code spans: `*`, `<` and (in tables) `|` would be read as markup.
std::string EscapeMarkdown(const std::string& text, bool in_table) {
  std::string out;
  bool code = false;
  for (char c : text) {
    if (c == '`') code = !code;
    if (c == '|' && in_table) {
      out += "\\|";
    } else if (!code && c == '*') {
      out += "\\*";
    } else if (!code && c == '<') {
      out += "&lt;";
    } else {
      out += c;
    }
  }
  return out;
}

std::string Joined(const std::string& text) {
  std::string out;
  for (const std::string& w : Words(text)) out += (out.empty() ? "" : " ") + w;
  return out;
}

void TextParagraphs(const std::string& text, std::ostream& out) {
  for (const Paragraph& p : Paragraphs(text)) {
    if (p.preformatted) {
      out << p.text << "\n\n";
    } else {
      for (const std::string& line : Reflow(p.text, kHelpWidth)) out << line << "\n";
      out << "\n";
    }
  }
}

void MarkdownParagraphs(const std::string& text, std::ostream& out) {
  for (const Paragraph& p : Paragraphs(text)) {
    if (p.preformatted) {
      out << "```text\n" << p.text << "\n```\n\n";
    } else {
      out << EscapeMarkdown(Joined(p.text), false) << "\n\n";
    }
  }
}

std::vector<std::string> UsageLines(const CommandSpec& spec) {
  std::vector<std::string> lines;
  for (size_t i = 0; i < spec.usage.size(); ++i) {
    const std::string head = (i == 0 ? "usage: " : "       ") + std::string("pjsim ") + spec.name;
    for (const std::string& l : WrapUsage(head, spec.usage[i], kHelpWidth)) {
      lines.push_back(l);
    }
  }
  return lines;
}

}  // namespace

std::vector<std::string> Reflow(const std::string& text, size_t width) {
  std::vector<std::string> lines = {""};
  for (const std::string& w : Words(text)) {
    std::string& last = lines.back();
    if (!last.empty() && last.size() + 1 + w.size() > width) {
      lines.push_back(w);
    } else {
      last += (last.empty() ? "" : " ") + w;
    }
  }
  return lines;
}

std::string FlagLabel(const FlagSpec& flag) {
  std::string label;
  // The one-letter spelling first: "-o, --out FILE".
  if (!flag.alias.empty() && flag.alias.size() < flag.name.size()) {
    label = Dashed(flag.alias) + ", " + Dashed(flag.name);
  } else {
    label = Dashed(flag.name) + (flag.alias.empty() ? "" : ", " + Dashed(flag.alias));
  }
  return flag.value.empty() ? label : label + " " + flag.value;
}

std::string HelpText(const CommandSpec& spec) {
  std::ostringstream out;
  for (const std::string& l : UsageLines(spec)) out << l << "\n";
  out << "\n";
  TextParagraphs(spec.description, out);
  const std::vector<Entry> entries = Entries(spec);
  // Labels up to 22 columns share one help column; a longer label has its help below it.
  constexpr size_t kMaxLabel = 22;
  size_t label_width = 0;
  for (const Entry& e : entries) {
    if (e.label.size() <= kMaxLabel) label_width = std::max(label_width, e.label.size());
  }
  const size_t column = 2 + label_width + 2;
  for (const Entry& e : entries) {
    const std::vector<std::string> help = Reflow(e.help, kHelpWidth - column);
    out << "  " << e.label;
    if (e.label.size() > kMaxLabel) {
      out << "\n" << std::string(column, ' ');
    } else {
      out << std::string(column - 2 - e.label.size(), ' ');
    }
    for (size_t i = 0; i < help.size(); ++i) {
      out << (i == 0 ? "" : std::string(column, ' ')) << help[i] << "\n";
    }
  }
  if (!entries.empty()) out << "\n";
  TextParagraphs(spec.notes, out);
  for (const std::string& l : Reflow("Exit codes: " + spec.exit_codes, kHelpWidth)) {
    out << l << "\n";
  }
  return out.str();
}

std::string MarkdownHelp(const CommandSpec& spec) {
  std::ostringstream out;
  out << "#### `pjsim " << spec.name << "`\n\n";
  out << EscapeMarkdown(spec.summary, false) << "\n\n```text\n";
  for (const std::string& l : UsageLines(spec)) out << l << "\n";
  out << "```\n\n";
  MarkdownParagraphs(spec.description, out);
  const std::vector<Entry> entries = Entries(spec);
  if (!entries.empty()) {
    out << "| argument | meaning |\n|---|---|\n";
    for (const Entry& e : entries) {
      out << "| `" << EscapeMarkdown(e.label, true) << "` | "
          << EscapeMarkdown(Joined(e.help), true) << " |\n";
    }
    out << "\n";
  }
  MarkdownParagraphs(spec.notes, out);
  out << "Exit codes: " << EscapeMarkdown(spec.exit_codes, false) << "\n";
  return out.str();
}

}  // namespace pjsim::cli
