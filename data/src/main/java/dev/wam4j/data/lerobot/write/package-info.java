/**
 * Writing LeRobot datasets (v3.0, and v2.1 on request): parquet through an embedded DuckDB, videos
 * through {@link dev.wam4j.data.video.VideoWriter}, statistics with LeRobot's meaning, and an atomic
 * publish (everything is written into a hidden temporary directory beside the target, which is renamed
 * into place only when the dataset is complete). Entry point: {@link dev.wam4j.data.lerobot.write.LeRobotWriter}.
 */
package dev.wam4j.data.lerobot.write;
