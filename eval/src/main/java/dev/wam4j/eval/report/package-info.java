/**
 * Reports of studies and monitors: self-contained HTML pages ({@link dev.wam4j.eval.report.HtmlReport})
 * and line charts ({@link dev.wam4j.eval.report.LineChart}).
 */
package dev.wam4j.eval.report;
