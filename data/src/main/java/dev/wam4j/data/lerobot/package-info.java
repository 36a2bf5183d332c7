/**
 * Reading LeRobot datasets (v2.0, v2.1, v3.0): {@link dev.wam4j.data.lerobot.LeRobotInfo} parses
 * {@code meta/info.json} with every variant real files use; {@link
 * dev.wam4j.data.lerobot.LeRobotDataset} gives random access by (episode, frame) to tabular values
 * and decoded frames (mp4 video features and PNG/JPEG image features stored in the parquet),
 * sequential column batches for training, and SQL over the parquet files; {@link
 * dev.wam4j.data.lerobot.DatasetValidation} lists everything inconsistent. Parquet is read by an
 * embedded DuckDB that never downloads extensions; video by {@link
 * dev.wam4j.data.video.VideoReader}. Every error names the file at fault.
 */
package dev.wam4j.data.lerobot;
