/**
 * Line charts drawn with Java2D for every report: loss curves, studies, monitors, RL curves ({@link
 * dev.wam4j.model.chart.LineChart}).
 */
package dev.wam4j.model.chart;
