/**
 * Reports of studies and monitors: self-contained HTML pages ({@link
 * dev.wam4j.eval.report.HtmlReport}) with charts drawn by {@link dev.wam4j.model.chart.LineChart},
 * and their files written whole ({@link dev.wam4j.eval.report.ReportFiles}).
 */
package dev.wam4j.eval.report;
