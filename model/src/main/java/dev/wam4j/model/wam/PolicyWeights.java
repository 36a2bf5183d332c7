package dev.wam4j.model.wam;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import dev.wam4j.model.CheckpointException;
import dev.wam4j.model.wam.WamCheckpoint.Meta;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A checkpoint's policy weights put into a network: as they are, or into a network that grows on
 * the checkpoint's (a widened action head, a fresh action head, a fresh dream branch).
 */
final class PolicyWeights {
  private PolicyWeights() {}

  /**
   * Loads the policy weights of checkpoint {@code dir} into {@code net} (initialised, same config).
   */
  static void load(Path dir, Meta meta, WamNetwork net, NDManager manager) throws IOException {
    checkShapes(dir, meta, net);
    try (NDList weights =
        WamCheckpoint.read(
            dir,
            WamCheckpoint.POLICY_FILE,
            meta,
            manager)) { // freed also when a weight does not fit
      List<Pair<String, Parameter>> params = net.getParameters().stream().toList();
      if (weights.size() != params.size()) {
        throw new CheckpointException(
            "checkpoint "
                + dir
                + ": "
                + WamCheckpoint.POLICY_FILE
                + " holds "
                + weights.size()
                + " arrays, the network has "
                + params.size()
                + " weights");
      }
      for (int i = 0; i < params.size(); i++) assign(dir, params.get(i), weights.get(i));
    }
  }

  /**
   * Loads checkpoint {@code dir}'s weights into a network that adds inputs to its action head
   * (keypoints and/or a pose head, or angle harmonics): every weight of the same name and shape is
   * copied; the action head's first layer, which reads a longer condition (the new inputs are
   * appended to it), gets the checkpoint's columns and zeros for the new inputs, so the network
   * starts out computing exactly what the checkpoint did; the new layers keep their fresh
   * initialisation.
   */
  static void loadWideningHead(Path dir, Meta meta, WamNetwork net, NDManager manager)
      throws IOException {
    try (NDList weights =
        WamCheckpoint.read(
            dir,
            WamCheckpoint.POLICY_FILE,
            meta,
            manager)) { // freed also when a weight does not fit
      Map<String, NDArray> byName = byName(dir, meta, weights);
      boolean widened = false;
      for (Pair<String, Parameter> p : net.getParameters()) {
        NDArray have = byName.remove(p.getKey());
        if (have == null) continue; // a keypoint layer: fresh
        NDArray w = p.getValue().getArray();
        if (w.getShape().equals(have.getShape())) {
          w.set(have.toFloatArray());
        } else if (w.getShape().dimension() == 2
            && have.getShape().dimension() == 2
            && w.getShape().get(0) == have.getShape().get(0)
            && w.getShape().get(1) > have.getShape().get(1)
            && !widened) {
          long rows = w.getShape().get(0),
              newIn = w.getShape().get(1),
              oldIn = have.getShape().get(1);
          float[] old = have.toFloatArray(), wide = new float[(int) (rows * newIn)];
          for (int r = 0; r < rows; r++)
            System.arraycopy(old, (int) (r * oldIn), wide, (int) (r * newIn), (int) oldIn);
          w.set(wide);
          widened = true;
        } else {
          throw new CheckpointException(
              "checkpoint "
                  + dir
                  + ": weight "
                  + p.getKey()
                  + " has shape "
                  + have.getShape()
                  + ", the network's is "
                  + w.getShape());
        }
      }
      if (!byName.isEmpty())
        throw new CheckpointException(
            "checkpoint " + dir + " holds weights the network lacks: " + byName.keySet());
    }
  }

  /**
   * Loads checkpoint {@code dir}'s weights into a network whose action head reads the state another
   * way ({@link WamConfig#poseFeatures}): every other weight is copied, the action head starts
   * fresh.
   */
  static void loadWithFreshActionHead(Path dir, Meta meta, WamNetwork net, NDManager manager)
      throws IOException {
    loadExcept(dir, meta, net, manager, WamNetwork::isActionHead);
  }

  /**
   * Loads checkpoint {@code dir}'s weights into a network that adds a dream branch ({@link
   * WamConfig#dreamFromActions}) the checkpoint lacks: every weight is copied, the branch starts
   * fresh.
   */
  static void loadWithFreshDreamBranch(Path dir, Meta meta, WamNetwork net, NDManager manager)
      throws IOException {
    loadExcept(dir, meta, net, manager, WamNetwork::isDreamBranch);
  }

  /**
   * Copies every weight of checkpoint {@code dir} into {@code net} except those {@code fresh}
   * accepts, which keep their fresh initialisation (the checkpoint's own, if any, are left behind
   * on purpose); any other weight missing on either side, or of another shape, is an error.
   */
  private static void loadExcept(
      Path dir,
      Meta meta,
      WamNetwork net,
      NDManager manager,
      java.util.function.Predicate<String> fresh)
      throws IOException {
    try (NDList weights =
        WamCheckpoint.read(
            dir,
            WamCheckpoint.POLICY_FILE,
            meta,
            manager)) { // freed also when a weight does not fit
      Map<String, NDArray> byName = byName(dir, meta, weights);
      for (Pair<String, Parameter> p : net.getParameters()) {
        NDArray have = byName.remove(p.getKey());
        if (fresh.test(p.getKey())) continue;
        if (have == null)
          throw new CheckpointException("checkpoint " + dir + " lacks weight " + p.getKey());
        assign(dir, p, have);
      }
      byName.keySet().removeIf(fresh);
      if (!byName.isEmpty())
        throw new CheckpointException(
            "checkpoint " + dir + " holds weights the network lacks: " + byName.keySet());
    }
  }

  /** A checkpoint's policy weights keyed by the parameter names its meta lists, in order. */
  private static Map<String, NDArray> byName(Path dir, Meta meta, NDList weights)
      throws CheckpointException {
    List<String> names = new ArrayList<>(meta.parameters().keySet());
    if (weights.size() != names.size()) {
      throw new CheckpointException(
          "checkpoint "
              + dir
              + ": "
              + WamCheckpoint.POLICY_FILE
              + " holds "
              + weights.size()
              + " arrays, its meta names "
              + names.size());
    }
    Map<String, NDArray> byName = new LinkedHashMap<>();
    for (int i = 0; i < names.size(); i++) byName.put(names.get(i), weights.get(i));
    return byName;
  }

  static void assign(Path dir, Pair<String, Parameter> p, NDArray value)
      throws CheckpointException {
    NDArray w = p.getValue().getArray();
    if (!w.getShape().equals(value.getShape())) {
      throw new CheckpointException(
          "checkpoint "
              + dir
              + ": weight "
              + p.getKey()
              + " has shape "
              + value.getShape()
              + ", the network's is "
              + w.getShape());
    }
    w.set(value.toFloatArray());
  }

  static void checkShapes(Path dir, Meta meta, WamNetwork net) throws CheckpointException {
    Map<String, List<Long>> have = shapes(net);
    if (!have.equals(meta.parameters())) {
      throw new CheckpointException(
          "checkpoint "
              + dir
              + " holds weights of another architecture (parameter names or shapes differ)");
    }
  }

  static Map<String, List<Long>> shapes(WamNetwork net) {
    Map<String, List<Long>> out = new LinkedHashMap<>();
    for (Pair<String, Parameter> p : net.getParameters()) {
      List<Long> dims = new ArrayList<>();
      for (long d : p.getValue().getArray().getShape().getShape()) dims.add(d);
      out.put(p.getKey(), dims);
    }
    return out;
  }
}
