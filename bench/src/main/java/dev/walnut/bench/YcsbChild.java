package dev.walnut.bench;

/**
 * The JVM {@link YcsbRunner} starts for one YCSB phase: runs {@code site.ycsb.Client} with the
 * given arguments and, as the JVM exits (the client ends with {@code System.exit}), prints one
 * {@code RESULT} line (on stderr) with this JVM's peak RSS and the binding's open time of the store.
 *
 * <pre>java -cp benchmarks.jar dev.walnut.bench.YcsbChild ENGINE CLIENT_ARGS...</pre>
 */
public final class YcsbChild {

    private YcsbChild() {
    }

    public static void main(String[] args) throws Exception {
        String engine = args[0];
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            ProcStatus status = ProcStatus.read();
            // stderr: the client's exporter closes System.out when it is done
            System.err.println(PeerMain.RESULT_PREFIX + "engine=" + engine + " openMs=" + YcsbBinding.openMs(engine)
                    + " hwmKiB=" + status.vmHwmKiB() + " rssAnonKiB=" + status.rssAnonKiB());
            System.err.flush();
        }));
        String[] clientArgs = new String[args.length - 1];
        System.arraycopy(args, 1, clientArgs, 0, clientArgs.length);
        site.ycsb.Client.main(clientArgs);
    }
}
