package dev.wam4j.eval.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;

/**
 * A self-contained HTML page: headings, paragraphs, tables, PNG plots and MP4 clips embedded as
 * data URIs, so the one file can be mailed or archived beside its JSON and still show everything.
 */
public final class HtmlReport {
  private final StringBuilder body = new StringBuilder();
  private final String title;

  public HtmlReport(String title) {
    this.title = title;
    body.append("<h1>").append(escape(title)).append("</h1>\n");
  }

  public HtmlReport heading(String text) {
    body.append("<h2>").append(escape(text)).append("</h2>\n");
    return this;
  }

  public HtmlReport paragraph(String text) {
    body.append("<p>").append(escape(text)).append("</p>\n");
    return this;
  }

  /** A table; every row must have as many cells as {@code header}. */
  public HtmlReport table(List<String> header, List<List<String>> rows) {
    body.append("<table>\n<tr>");
    for (String h : header) body.append("<th>").append(escape(h)).append("</th>");
    body.append("</tr>\n");
    for (List<String> row : rows) {
      if (row.size() != header.size())
        throw new IllegalArgumentException(
            "table row " + row + " has " + row.size() + " cells, header " + header.size());
      body.append("<tr>");
      for (String c : row) body.append("<td>").append(escape(c)).append("</td>");
      body.append("</tr>\n");
    }
    body.append("</table>\n");
    return this;
  }

  /** A PNG image, embedded. */
  public HtmlReport png(byte[] png, String alt) {
    body.append("<p><img alt=\"")
        .append(escape(alt))
        .append("\" src=\"data:image/png;base64,")
        .append(Base64.getEncoder().encodeToString(png))
        .append("\"></p>\n");
    return this;
  }

  /** An MP4 clip, embedded, with a caption. */
  public HtmlReport video(byte[] mp4, String caption) {
    body.append("<figure><video controls loop muted src=\"data:video/mp4;base64,")
        .append(Base64.getEncoder().encodeToString(mp4))
        .append("\"></video><figcaption>")
        .append(escape(caption))
        .append("</figcaption></figure>\n");
    return this;
  }

  /** Preformatted text, e.g. the config that produced the page. */
  public HtmlReport code(String text) {
    body.append("<pre>").append(escape(text)).append("</pre>\n");
    return this;
  }

  /** The whole page. */
  public String html() {
    return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>"
        + escape(title)
        + "</title>\n<style>"
        + "body{font-family:sans-serif;max-width:1000px;margin:2em auto;color:#222}"
        + "table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:4px 10px;text-align:right}"
        + "th{background:#f4f4f4}img,video{max-width:100%}pre{background:#f8f8f8;padding:1em;overflow:auto;font-size:12px}"
        + "</style></head><body>\n"
        + body
        + "</body></html>\n";
  }

  /** Writes the page atomically (temporary file beside it, then rename). */
  public void write(Path file) throws IOException {
    ReportFiles.write(file, html());
  }

  static String escape(String s) {
    if (s == null) return "";
    StringBuilder b = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      switch (c) {
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '&' -> b.append("&amp;");
        case '"' -> b.append("&quot;");
        default -> b.append(c);
      }
    }
    return b.toString();
  }
}
