/**
 * Writing LeRobot datasets (v3.0, and v2.1 on request): parquet through an embedded DuckDB, videos
 * through {@link dev.wam4j.data.video.VideoWriter}, statistics with LeRobot's meaning, and an
 * atomic publish (everything is written into a hidden temporary directory beside the target, which
 * is renamed into place only when the dataset is complete). Entry points: {@link
 * dev.wam4j.data.lerobot.write.LeRobotWriter} writes episodes frame by frame; {@link
 * dev.wam4j.data.lerobot.write.LeRobotAggregate} appends the episodes of v3.0 datasets to another
 * by copying their files, without re-encoding video.
 */
package dev.wam4j.data.lerobot.write;
