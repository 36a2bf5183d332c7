package dev.wam4j.fleet.judge;

import dev.wam4j.eval.turing.PolicyTraces;
import dev.wam4j.eval.turing.PusherTrace;
import dev.wam4j.eval.turing.TuringTest;
import dev.wam4j.model.policy.ChunkPolicy;
import dev.wam4j.sim.expert.PushExpert;
import dev.wam4j.sim.pusht.PushTEnv;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The human judge of the physical Turing test: pairs of clips from the same start state, one a
 * person's demonstration and one the robot's, shown side by side; the judge says which one is the
 * robot.
 *
 * <p>Each judge gets the pairs in an order of their own and the robot on a side of its own per
 * pair, both drawn by seeded RNGs from (seed, judge): the same after a restart, remembered here and
 * never sent. Both clips of a pair are shown with as many frames, the shorter one held on its last
 * frame, so that length alone tells nothing. Answers are not marked right or wrong to the judge: a
 * judge's score is theirs to see once they have answered every pair. Every answer is appended to a
 * {@link JudgementLog}, with the robot it was about; the tally ({@link Tally}) counts them all.
 */
public final class HumanJudge {
  /** Clips the judges compare by default: the shipped sample's 25 demonstrations. */
  public static final int DEFAULT_PAIRS = 25;

  /** The sides. */
  public static final String LEFT = "left", RIGHT = "right";

  /** The scripted expert's name as the robot. */
  public static final String EXPERT = "expert";

  /** Runs the robot from a legacy reset seed for at most a number of steps. */
  @FunctionalInterface
  public interface Robot {
    /** The robot's episode from {@code seed}, at most {@code limit} steps. */
    PusherTrace episode(long seed, int limit);
  }

  /**
   * A pair of clips from one start.
   *
   * @param index the pair's index
   * @param seed the legacy reset seed both start from
   * @param human the person's demonstration
   * @param robot the robot's episode
   */
  public record Pair(int index, long seed, PusherTrace human, PusherTrace robot) {
    /** Validates. */
    public Pair {
      if (human == null || robot == null)
        throw new IllegalArgumentException("pair " + index + ": both traces are required");
    }
  }

  /**
   * A pair as a judge sees it, both clips as long as the longer of the pair's two (the shorter held
   * on its last state).
   *
   * @param pair the pair's index
   * @param left the clip on the left
   * @param right the clip on the right
   * @param answered pairs this judge has answered
   * @param total pairs there are
   */
  public record Shown(int pair, PusherTrace left, PusherTrace right, int answered, int total) {}

  private final List<Pair> pairs;
  private final String robot;
  private final JudgementLog log;
  private final long seed;
  private final Set<String> answered = new HashSet<>();
  private final Map<String, Boolean> robotLeft = new HashMap<>();
  private final Map<String, int[]> orders = new HashMap<>();
  private final Map<String, int[]> perJudge = new HashMap<>();
  private int judgements, correct;

  private HumanJudge(
      List<Pair> pairs,
      String robot,
      JudgementLog log,
      long seed,
      List<JudgementLog.Judgement> old) {
    this.pairs = List.copyOf(pairs);
    this.robot = robot;
    this.log = log;
    this.seed = seed;
    for (JudgementLog.Judgement j : old) {
      // a line for a pair this set does not hold (another demonstration set) or a second answer to
      // one pair (two processes on one file) would push a judge's count past the pairs
      boolean known =
          j.pair() >= 0
              && j.pair() < this.pairs.size()
              && this.pairs.get(j.pair()).seed() == j.seed();
      if (!known || answered.contains(key(j.judge(), j.pair()))) {
        System.err.println(
            "wam4j judge: skipped an answer of '"
                + j.judge()
                + "' to pair "
                + j.pair()
                + (known ? " (answered before)" : " (not a pair of this set)"));
        continue;
      }
      count(j);
    }
  }

  /**
   * A judge over the given pairs with the scripted expert as the robot, its answers in {@code
   * judgements} (read back if it exists).
   *
   * @param seed seeds the orders and the left/right draws
   * @throws IOException when the judgements cannot be read or are about another robot
   */
  public static HumanJudge of(List<Pair> pairs, Path judgements, long seed) throws IOException {
    return of(pairs, EXPERT, judgements, seed);
  }

  /**
   * A judge over the given pairs, the robot named {@code robot} ({@link #EXPERT}, or a checkpoint's
   * path), its answers in {@code judgements} (read back if it exists).
   *
   * @param seed seeds the orders and the left/right draws
   * @throws IOException when the judgements cannot be read, or hold answers about another robot
   *     (one file, one robot: a tally over two robots would say nothing about either)
   */
  public static HumanJudge of(List<Pair> pairs, String robot, Path judgements, long seed)
      throws IOException {
    if (pairs == null || pairs.isEmpty())
      throw new IllegalArgumentException("the human judge needs at least one pair of clips");
    if (robot == null || robot.isBlank())
      throw new IllegalArgumentException("the robot's name is required");
    for (int i = 0; i < pairs.size(); i++)
      if (pairs.get(i).index() != i)
        throw new IllegalArgumentException(
            "pair " + i + " has index " + pairs.get(i).index() + ": pairs are numbered 0, 1, ...");
    List<JudgementLog.Judgement> old = new ArrayList<>();
    JudgementLog log = JudgementLog.open(judgements, old);
    for (JudgementLog.Judgement j : old)
      if (!robot.equals(j.robotOrExpert()))
        throw new IOException(
            judgements
                + " holds answers about the robot '"
                + j.robotOrExpert()
                + "', not '"
                + robot
                + "': give this robot a judgements file of its own");
    return new HumanJudge(pairs, robot, log, seed, old);
  }

  /**
   * Pairs the first {@code episodes} demonstrations of a Diffusion Policy PushT zarr (all if {@code
   * <= 0}) with the scripted expert from the same legacy resets, given the human's time budget (as
   * the automatic judge does, {@link TuringTest}).
   *
   * @throws IOException when the demonstrations cannot be read
   */
  public static List<Pair> expertPairs(Path zarr, int episodes) throws IOException {
    PushTEnv env = PushTEnv.reference();
    PushExpert expert = PushExpert.of(env);
    return pairs(
        zarr, episodes, (seed, limit) -> TuringTest.expertTrace(env, expert, seed, limit), null);
  }

  /**
   * The same with a checkpoint's policy as the robot, run as the automatic judge runs it ({@link
   * PolicyTraces}: closed loop, dreams off); the caller closes the policy. About half a second per
   * pair with a trained model.
   *
   * @param progress told as pairs are done (may be null)
   * @throws IOException when the demonstrations cannot be read
   */
  public static List<Pair> policyPairs(
      Path zarr, int episodes, ChunkPolicy policy, TuringTest.ProgressListener progress)
      throws IOException {
    return pairs(zarr, episodes, new PolicyTraces(policy)::trace, progress);
  }

  /**
   * The first {@code episodes} demonstrations (all if {@code <= 0}), each paired with {@code robot}
   * from the same legacy reset within the human's time budget.
   *
   * @param progress told as pairs are done (may be null)
   * @throws IOException when the demonstrations cannot be read
   */
  public static List<Pair> pairs(
      Path zarr, int episodes, Robot robot, TuringTest.ProgressListener progress)
      throws IOException {
    List<PusherTrace> human = TuringTest.humanTraces(zarr, episodes);
    List<Pair> out = new ArrayList<>(human.size());
    for (int i = 0; i < human.size(); i++) {
      PusherTrace h = human.get(i);
      out.add(new Pair(i, h.seed(), h, robot.episode(h.seed(), h.length())));
      if (progress != null) progress.pairs(i + 1, human.size());
    }
    return out;
  }

  /** The pairs. */
  public List<Pair> pairs() {
    return pairs;
  }

  /** The robot's name: {@link #EXPERT} or a checkpoint's path. */
  public String robot() {
    return robot;
  }

  /** The judgements file. */
  public Path file() {
    return log.file();
  }

  /**
   * The order {@code judge} is shown the pairs in: a permutation of the pair indices drawn from
   * (seed, judge), so every judge gets their own and the same one after a restart. Without it every
   * judge would see the same pairs in the same order, and what one learns early would weigh on the
   * same pairs for all.
   */
  public synchronized List<Integer> order(String judge) {
    checkName(judge);
    return Arrays.stream(orderOf(judge)).boxed().toList();
  }

  /**
   * The next pair {@code judge} has not answered, in the judge's own {@linkplain #order order}, or
   * {@code null} when every pair is answered.
   *
   * @throws IllegalArgumentException when the judge's name is empty, too long or holds control
   *     characters
   */
  public synchronized Shown next(String judge) {
    checkName(judge);
    for (int i : orderOf(judge)) {
      Pair p = pairs.get(i);
      if (answered.contains(key(judge, i))) continue;
      boolean left = robotLeft.computeIfAbsent(key(judge, i), k -> draw(judge, i));
      int frames = Math.max(p.human().length(), p.robot().length());
      PusherTrace h = held(p.human(), frames), r = held(p.robot(), frames);
      return new Shown(i, left ? r : h, left ? h : r, answered(judge), pairs.size());
    }
    return null;
  }

  /** How many pairs {@code judge} has answered. */
  public synchronized int answered(String judge) {
    return perJudge.getOrDefault(judge, new int[2])[0];
  }

  /** Whether {@code judge} has answered every pair (and may see their score). */
  public synchronized boolean done(String judge) {
    return answered(judge) == pairs.size();
  }

  /**
   * {@code t} with its last state repeated up to {@code frames} states: a clip that stops early
   * stands still at its end rather than being shorter (its length would give it away), and nothing
   * of the longer one is cut.
   */
  static PusherTrace held(PusherTrace t, int frames) {
    if (t.length() >= frames) return t;
    return new PusherTrace(
        t.pusher(),
        t.seed(),
        hold(t.agentX(), frames),
        hold(t.agentY(), frames),
        hold(t.blockX(), frames),
        hold(t.blockY(), frames),
        hold(t.blockAngle(), frames));
  }

  private static double[] hold(double[] a, int n) {
    double[] out = Arrays.copyOf(a, n);
    Arrays.fill(out, a.length, n, a[a.length - 1]);
    return out;
  }

  /**
   * Records {@code judge}'s answer for {@code pair}: where the robot is, "left" or "right".
   *
   * @return the judgement stored
   * @throws IllegalArgumentException for an empty judge name or an answer other than left or right
   * @throws java.util.NoSuchElementException for an unknown pair
   * @throws IllegalStateException when the judge has answered the pair already or was not shown it
   * @throws IOException when the answer cannot be stored (it is then not counted)
   */
  public synchronized JudgementLog.Judgement answer(String judge, int pair, String robot)
      throws IOException {
    checkName(judge);
    if (!LEFT.equals(robot) && !RIGHT.equals(robot))
      throw new IllegalArgumentException(
          "the answer must be \"left\" or \"right\" (where the robot is), got \"" + robot + "\"");
    if (pair < 0 || pair >= pairs.size())
      throw new java.util.NoSuchElementException(
          "no pair " + pair + " (there are " + pairs.size() + ")");
    String k = key(judge, pair);
    if (answered.contains(k))
      throw new IllegalStateException("judge '" + judge + "' has already answered pair " + pair);
    Boolean left = robotLeft.get(k);
    if (left == null)
      throw new IllegalStateException(
          "pair " + pair + " was not shown to judge '" + judge + "': ask for the next pair first");
    String side = left ? LEFT : RIGHT;
    JudgementLog.Judgement j =
        new JudgementLog.Judgement(
            judge,
            pair,
            pairs.get(pair).seed(),
            side,
            robot,
            side.equals(robot),
            Instant.now().toString(),
            this.robot);
    log.append(j);
    count(j);
    return j;
  }

  /** The tally over every judge. */
  public synchronized Tally tally() {
    return Tally.of(judgements, correct, perJudge.size());
  }

  /**
   * The tally over the judges who have answered every pair: what anyone may read while others are
   * still judging. Counting unfinished judges would let a judge read, answer and read again, and
   * learn from the difference whether the answer was right.
   */
  public synchronized Tally tallyOfFinished() {
    int n = 0, right = 0, judges = 0;
    for (Map.Entry<String, int[]> e : perJudge.entrySet()) {
      if (!done(e.getKey())) continue;
      n += e.getValue()[0];
      right += e.getValue()[1];
      judges++;
    }
    return Tally.of(n, right, judges);
  }

  /** The tally of one judge's answers (the page shows it only once the judge is {@link #done}). */
  public synchronized Tally tally(String judge) {
    int[] c = perJudge.getOrDefault(judge, new int[2]);
    return Tally.of(c[0], c[1], c[0] > 0 ? 1 : 0);
  }

  private void count(JudgementLog.Judgement j) {
    answered.add(key(j.judge(), j.pair()));
    int[] c = perJudge.computeIfAbsent(j.judge(), k -> new int[2]);
    c[0]++;
    judgements++;
    if (j.correct()) {
      c[1]++;
      correct++;
    }
  }

  /** FNV-1a over the name's UTF-8 bytes: unlike String.hashCode, "Aa" and "BB" differ. */
  static long nameHash(String judge) {
    long h = 0xcbf29ce484222325L;
    for (byte b : judge.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
      h ^= b & 0xff;
      h *= 0x100000001b3L;
    }
    return h;
  }

  private int[] orderOf(String judge) {
    return orders.computeIfAbsent(
        judge,
        k -> {
          // a Fisher-Yates shuffle seeded apart from the side draws (another mixing constant)
          SplittableRandom rng =
              new SplittableRandom(
                  (seed ^ 0x6A09E667F3BCC909L) * 0x9E3779B97F4A7C15L
                      + nameHash(judge) * 0x94D049BB133111EBL);
          int[] o = new int[pairs.size()];
          for (int i = 0; i < o.length; i++) o[i] = i;
          for (int i = o.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1), t = o[i];
            o[i] = o[j];
            o[j] = t;
          }
          return o;
        });
  }

  /** Whether the robot goes left for this judge and pair: seeded, so the same after a restart. */
  private boolean draw(String judge, int pair) {
    long mixed = seed * 0x9E3779B97F4A7C15L + nameHash(judge) * 0xBF58476D1CE4E5B9L + pair;
    return new SplittableRandom(mixed).nextBoolean();
  }

  private static String key(String judge, int pair) {
    return pair + "\u0000" + judge;
  }

  private static void checkName(String judge) {
    if (judge == null || judge.isBlank())
      throw new IllegalArgumentException("the judge's name is required (not empty)");
    if (judge.length() > 64 || judge.chars().anyMatch(c -> c < 0x20))
      throw new IllegalArgumentException(
          "the judge's name must be at most 64 characters, no control characters");
  }
}
