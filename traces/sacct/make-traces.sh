#!/usr/bin/env bash
# Makes the Slurm accounting traces in this folder with a real Slurm (Debian 12's slurm-wlm 22.05): installs
# Slurm, slurmdbd, MUNGE and MariaDB, configures a cluster on loopback whose compute node node1 has 16 CPUs and
# 4 fake a100 GPUs as GRES (plus aux1, 4 CPUs, for the heterogeneous job only: see conf/slurm.conf.in), starts
# the daemons by hand (no systemd), submits the workloads, waits for them, dumps `sacct` in several forms,
# computes the figures of expected.json with figures.py, and stops the daemons it started.
#
# Usage (as root, on Debian 12):  traces/sacct/make-traces.sh
#   SACCT_TRACE_RUN=/tmp/asyncscope-slurm  run directory (configuration, state, logs, database), wiped first
#                                           (only if it is new or one this script made)
#   SACCT_TRACE_OUT=traces/sacct            where the dumps go (default: this script's folder)
#   SACCT_TRACE_SKIP_INSTALL=1              do not run apt-get
#   $0 start | stop                         leave a configured cluster running (for debugging), stop it
# Every *.sacct.* file it writes is sacct's own output; dependencies.tsv (the edges this script submitted),
# commands.tsv (the exact sacct command of each file) and expected.json (figures.py) are the script's.
# Ports used on 127.0.0.1: 6817 slurmctld, 6818/6828 slurmd, 6819 slurmdbd, 3316 MariaDB.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
RUN=${SACCT_TRACE_RUN:-/tmp/asyncscope-slurm}
OUT=$(mkdir -p "${SACCT_TRACE_OUT:-$HERE}" && cd "${SACCT_TRACE_OUT:-$HERE}" && pwd)
HOST=$(hostname -s)
CPUS=16     # node1, where every workload runs
GPUS=4      # node1's fake a100 GPUs
AUX_CPUS=4  # aux1, CPU-only, used by the heterogeneous job's component 0 only
MYSQL_PORT=3316
export SLURM_CONF=$RUN/etc/slurm.conf

# The wide field list of the *.sacct.txt dumps. sacct 22.05 has no dependency field (see README).
FIELDS=JobID,JobIDRaw,JobName,Partition,Account,User,State,ExitCode,DerivedExitCode,Submit,Eligible,Start,End,Elapsed,ElapsedRaw,Timelimit,AllocCPUS,ReqCPUS,AllocTRES,ReqTRES,NNodes,NodeList,Reason,Flags,SubmitLine
# A reduced selection in another column order, to test header-driven parsing.
REORDERED=State,End,Start,JobName,JobID,AllocTRES,ExitCode

log() { printf '[make-traces %(%H:%M:%S)T] %s\n' -1 "$*" >&2; }
die() { log "error: $*"; exit 1; }

PACKAGES=(slurm-wlm slurmdbd munge mariadb-server python3)

install_packages() {
	[ "${SACCT_TRACE_SKIP_INSTALL:-}" = 1 ] && return
	dpkg -s "${PACKAGES[@]}" >/dev/null 2>&1 && return
	log "installing ${PACKAGES[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -q >/dev/null
	apt-get install -y -q -o DPkg::Lock::Timeout=600 "${PACKAGES[@]}" >/dev/null
}

# Stops the daemons this script started (by the pid files it keeps in $RUN/pids, nothing else).
stop_daemons() {
	local name pid
	for name in slurmd-node1 slurmd-aux1 slurmctld slurmdbd mariadbd munged; do
		[ -f "$RUN/pids/$name.pid" ] || continue
		pid=$(cat "$RUN/pids/$name.pid")
		if kill -0 "$pid" 2>/dev/null; then
			log "stopping $name ($pid)"
			kill "$pid"
			for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
		fi
		rm -f "$RUN/pids/$name.pid"
	done
}

configure() {
	log "configuring in $RUN (node1: $CPUS CPUs, $GPUS fake a100 GPUs; aux1: $AUX_CPUS CPUs)"
	if [ -e "$RUN" ]; then
		[ -f "$RUN/.made-by-make-traces" ] || die "$RUN exists and was not made by this script: not wiping it"
		rm -rf "$RUN"
	fi
	mkdir -p "$RUN"/{etc,state,spool,log,out,pids}
	touch "$RUN/.made-by-make-traces"
	chmod 755 "$RUN"
	local f
	for f in slurm.conf gres.conf slurmdbd.conf; do
		sed -e "s|@HOST@|$HOST|g" -e "s|@RUN@|$RUN|g" -e "s|@CPUS@|$CPUS|g" -e "s|@GPUS@|$GPUS|g" -e "s|@AUX_CPUS@|$AUX_CPUS|g" \
			-e "s|@LASTGPU@|$((GPUS - 1))|g" -e "s|@MYSQL_PORT@|$MYSQL_PORT|g" "$HERE/conf/$f.in" >"$RUN/etc/$f"
	done
	# The fake GPUs' device files (see conf/gres.conf.in).
	mkdir -p "$RUN/fakedev"
	for i in $(seq 0 $((GPUS - 1))); do mknod "$RUN/fakedev/nvidia$i" c 1 3; done
	chmod 600 "$RUN/etc/slurmdbd.conf"
}

wait_for() { # wait_for <what> <seconds> <command...>
	local what=$1 seconds=$2
	shift 2
	for _ in $(seq 1 $((seconds * 2))); do "$@" >/dev/null 2>&1 && return 0; sleep 0.5; done
	die "$what not ready after ${seconds}s (logs in $RUN/log)"
}

start_daemons() {
	log "starting MariaDB (private datadir, 127.0.0.1:$MYSQL_PORT)"
	mariadb-install-db --user=mysql --datadir="$RUN/mysql" --skip-test-db >"$RUN/log/mariadb-install.log" 2>&1
	# the server (user mysql) writes its socket, pid file and log in a folder of its own
	mkdir -p "$RUN/mysqld" && chown mysql:mysql "$RUN/mysqld"
	mariadbd --user=mysql --datadir="$RUN/mysql" --socket="$RUN/mysqld/mysqld.sock" --port=$MYSQL_PORT \
		--bind-address=127.0.0.1 --pid-file="$RUN/mysqld/mysqld.pid" --log-error="$RUN/mysqld/mariadb.log" \
		--innodb-buffer-pool-size=256M --innodb-lock-wait-timeout=900 >/dev/null 2>&1 &
	echo $! >"$RUN/pids/mariadbd.pid"
	wait_for MariaDB 60 mariadb --socket="$RUN/mysqld/mysqld.sock" -u root -e 'SELECT 1'
	mariadb --socket="$RUN/mysqld/mysqld.sock" -u root -e "
		CREATE USER 'slurm'@'127.0.0.1' IDENTIFIED BY 'slurm-trace';
		GRANT ALL ON slurm_acct_db.* TO 'slurm'@'127.0.0.1';"

	if munge -n 2>/dev/null | unmunge >/dev/null 2>&1; then
		log "munged already running: using it"
	else
		log "starting munged"
		[ -s /etc/munge/munge.key ] || { mungekey --create; chown munge:munge /etc/munge/munge.key; }
		mkdir -p /run/munge && chown munge:munge /run/munge
		runuser -u munge -- /usr/sbin/munged 2>"$RUN/log/munged.log"
		wait_for munged 30 sh -c 'munge -n | unmunge'
		# only the munged this script started is stopped at the end
		cp /run/munge/munged.pid "$RUN/pids/munged.pid"
	fi

	log "starting slurmdbd"
	slurmdbd -D >"$RUN/log/slurmdbd.stderr" 2>&1 &
	echo $! >"$RUN/pids/slurmdbd.pid"
	wait_for slurmdbd 60 sacctmgr -n list cluster
	sacctmgr -i add cluster asyncscope >/dev/null

	log "starting slurmctld and slurmd"
	slurmctld -D -i >"$RUN/log/slurmctld.stderr" 2>&1 &
	echo $! >"$RUN/pids/slurmctld.pid"
	wait_for slurmctld 60 scontrol ping
	local node
	for node in node1 aux1; do
		slurmd -D -N $node >"$RUN/log/slurmd-$node.stderr" 2>&1 &
		echo $! >"$RUN/pids/slurmd-$node.pid"
	done
	wait_for "nodes idle" 60 sh -c '[ "$(sinfo -h -N -t idle -o %N | sort -u | wc -l)" = 2 ]'
	sinfo --version >"$RUN/slurm-version.txt"
	log "$(cat "$RUN/slurm-version.txt") up: $(sinfo -h -N -o '%N %P %c CPUs %G' | tr '\n' ';')"
}

# sub <name> [sbatch options...] <script> [args]: submits one batch job, prints its id.
sub() {
	local name=$1
	shift
	sbatch --parsable -J "$name" -D "$RUN/out" "$@" | cut -d';' -f1
}

# edge <workflow> <parent id> <child id> <parent name> <child name> <type>: records a submitted dependency.
edge() { printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$@" >>"$OUT/dependencies.tsv"; }

# Waits until none of the given jobs is pending or running any more (squeue forgets ended jobs).
wait_jobs() {
	local ids
	ids=$(IFS=,; echo "$*")
	while [ -n "$(squeue -h -j "$ids" -t PENDING,RUNNING,CONFIGURING,COMPLETING -o %i 2>/dev/null)" ]; do sleep 1; done
}

# The paper's example workflow with its durations divided by 100: A 5 s, then B1 10 -> B2 20 -> B3 20
# beside C1 10 -> C2 40. A and C1 are CPU-only, the Bs take one GPU, C2 two a100s.
# sync: each level depends on ALL jobs of the previous level (A | B1 C1 | B2 C2 | B3): 5+10+40+20 = 75 s.
# async: each task depends on its own parent only: 5 + max(10+20+20, 10+40) = 55 s.
workflow() {
	local wf=$1 a b1 c1 b2 c2 b3
	local task="-t 5 task.sh"
	a=$(sub "$wf-A" -n1 -c2 $task 5)
	b1=$(sub "$wf-B1" -n1 -c1 --gres=gpu:1 -d "afterok:$a" $task 10)
	c1=$(sub "$wf-C1" -n1 -c4 -d "afterok:$a" $task 10)
	edge "$wf" "$a" "$b1" "$wf-A" "$wf-B1" afterok
	edge "$wf" "$a" "$c1" "$wf-A" "$wf-C1" afterok
	if [ "$wf" = workflow-sync ]; then
		b2=$(sub "$wf-B2" -n1 -c1 --gres=gpu:1 -d "afterok:$b1:$c1" $task 20)
		c2=$(sub "$wf-C2" -n1 -c1 --gres=gpu:a100:2 -d "afterok:$b1:$c1" $task 40)
		b3=$(sub "$wf-B3" -n1 -c1 --gres=gpu:1 -d "afterok:$b2:$c2" $task 20)
		edge "$wf" "$b1" "$b2" "$wf-B1" "$wf-B2" afterok
		edge "$wf" "$c1" "$b2" "$wf-C1" "$wf-B2" afterok
		edge "$wf" "$b1" "$c2" "$wf-B1" "$wf-C2" afterok
		edge "$wf" "$c1" "$c2" "$wf-C1" "$wf-C2" afterok
		edge "$wf" "$b2" "$b3" "$wf-B2" "$wf-B3" afterok
		edge "$wf" "$c2" "$b3" "$wf-C2" "$wf-B3" afterok
	else
		b2=$(sub "$wf-B2" -n1 -c1 --gres=gpu:1 -d "afterok:$b1" $task 20)
		c2=$(sub "$wf-C2" -n1 -c1 --gres=gpu:a100:2 -d "afterok:$c1" $task 40)
		b3=$(sub "$wf-B3" -n1 -c1 --gres=gpu:1 -d "afterok:$b2" $task 20)
		edge "$wf" "$b1" "$b2" "$wf-B1" "$wf-B2" afterok
		edge "$wf" "$c1" "$c2" "$wf-C1" "$wf-C2" afterok
		edge "$wf" "$b2" "$b3" "$wf-B2" "$wf-B3" afterok
	fi
	log "$wf submitted: $a $b1 $c1 $b2 $c2 $b3"
	echo "$a,$b1,$c1,$b2,$c2,$b3" >"$RUN/$wf.ids"
	wait_jobs "$a" "$b1" "$c1" "$b2" "$c2" "$b3"
	log "$wf done"
}

# to <file> <command...>: runs a sacct command into $OUT/<file> and records the exact command in commands.tsv.
to() {
	local file=$1
	shift
	"$@" >"$OUT/$file"
	printf '%s\t%s\n' "$file" "$*" >>"$OUT/commands.tsv"
}

# Everything else a Slurm user throws at an importer, run concurrently after the workflows.
misc_workloads() {
	local timeout array steps het fail anyc okc running held pending srun_pid
	timeout=$(sub timeout -n1 -c1 --time=1 long.sh)
	array=$(sub array -n1 -c1 --array=1-8%3 array.sh)
	steps=$(sub steps -n2 -c1 --gres=gpu:1 steps.sh)
	het=$(sub hetjob hetjob.sh)
	fail=$(sub fail -n1 -c1 fail.sh)
	anyc=$(sub after-fail-any -n1 -c1 -d "afterany:$fail" task.sh 2)
	okc=$(sub after-fail-ok -n1 -c1 -d "afterok:$fail" task.sh 2)
	edge failure "$fail" "$anyc" fail after-fail-any afterany
	edge failure "$fail" "$okc" fail after-fail-ok afterok
	running=$(sub cancel-running -n1 -c1 long.sh)
	# A job launched by srun directly, with no batch script (the job and its .0 and .extern steps, no .batch).
	srun -J srun-direct -n1 -c1 sleep 2 >"$RUN/out/srun-direct.out" 2>&1 &
	srun_pid=$!
	held=$(sub cancel-held -n1 -c1 --hold long.sh)
	log "misc submitted: timeout=$timeout array=$array steps=$steps hetjob=$het fail=$fail" \
		"after-fail-any=$anyc after-fail-ok=$okc cancel-running=$running cancel-held=$held"

	# Dump the array while some elements run and the rest still pend (throttled by %3), once slurmdbd shows
	# both consistently (see figures.py --array-snapshot).
	local i
	for i in $(seq 1 60); do
		sacct -P --format="$FIELDS" -j "$array" >"$OUT/array-running.sacct.txt"
		sacct --json -j "$array" >"$OUT/array-running.sacct.json"
		python3 "$HERE/figures.py" --array-snapshot 8 "$OUT"/array-running.sacct.{txt,json} && break
		sleep 0.5
	done
	[ "$i" -lt 60 ] || log "warning: the array-running dumps caught no running and pending elements together"
	printf '%s\t%s\n' array-running.sacct.txt "sacct -P --format=$FIELDS -j $array" \
		array-running.sacct.json "sacct --json -j $array" >>"$OUT/commands.tsv"

	# Cancel a running job, a held job, and a job pending for resources (all 16 CPUs while others hold some).
	while ! squeue -h -j "$running" -t RUNNING -o %i | grep -q .; do sleep 0.5; done
	pending=$(sub cancel-pending -n1 -c"$CPUS" long.sh)
	log "cancel-pending=$pending submitted"
	sleep 3
	scancel "$running" "$held" "$pending"
	wait "$srun_pid"
	printf '%s\n' "array=$array" "steps=$steps" "hetjob=$het" "never-started=$okc,$held,$pending" >"$RUN/misc.ids"
	# after-fail-ok never becomes eligible (DependencyNeverSatisfied): it stays pending, as on a real cluster.
	wait_jobs "$timeout" "$array" "$steps" "$het" "$fail" "$anyc" "$running" "$held" "$pending"
	log "misc done (after-fail-ok $okc stays pending)"
}

# Waits until the accounting database has every allocation's end (slurmctld reports to slurmdbd asynchronously).
wait_accounting() {
	local open
	for _ in $(seq 1 120); do
		open=$(sacct -n -X -P -S "$T0" -E now --format=JobID,State | grep -cE '\|(RUNNING|COMPLETING|REQUEUED)' || true)
		[ "$open" = 0 ] && return 0
		sleep 1
	done
	die "accounting still shows running jobs"
}

misc_ids() { sed -n "s/^$1=//p" "$RUN/misc.ids"; }

dump() {
	T1=$(date +%Y-%m-%dT%H:%M:%S)
	local window=(-S "$T0" -E "$T1")
	log "dumping sacct (window $T0 .. $T1) into $OUT"
	to all-fields.sacct.txt sacct -P --format="$FIELDS" "${window[@]}"
	to default-fields.sacct.txt sacct -P "${window[@]}"
	to reordered.sacct.txt sacct -P --format="$REORDERED" "${window[@]}"
	to allocations.sacct.txt sacct -P -X --format="$FIELDS" "${window[@]}"
	to trailing-bar.sacct.txt sacct -p --format="$FIELDS" "${window[@]}"
	to workflow-sync.sacct.txt sacct -P --format="$FIELDS" -j "$(cat "$RUN/workflow-sync.ids")"
	to workflow-async.sacct.txt sacct -P --format="$FIELDS" -j "$(cat "$RUN/workflow-async.ids")"
	to array.sacct.txt sacct -P --format="$FIELDS" -j "$(misc_ids array)"
	# Jobs that never became eligible (held, dependency never satisfied) are left out of any time-window query
	# (their Eligible is Unknown); sacct shows them only when asked by id.
	to never-started.sacct.txt sacct -P --format="$FIELDS" -j "$(misc_ids never-started)"
	to never-started.sacct.json sacct --json -j "$(misc_ids never-started)"
	# sacct --json is verbose (about 10 KB a job with its steps): the whole window is committed gzipped, the
	# allocations (-X) and the jobs with several steps plainly.
	sacct --json "${window[@]}" | gzip -n >"$OUT/all.sacct.json.gz"
	printf '%s\t%s\n' all.sacct.json.gz "sacct --json ${window[*]} | gzip -n" >>"$OUT/commands.tsv"
	to allocations.sacct.json sacct --json -X "${window[@]}"
	to steps-hetjob.sacct.json sacct --json -j "$(misc_ids steps),$(misc_ids hetjob)"
}

main() {
	[ "$(id -u)" = 0 ] || die "run as root (it installs packages and starts the daemons)"
	install_packages
	[ -d "$RUN" ] && stop_daemons
	configure
	trap stop_daemons EXIT
	start_daemons
	# sacct's window starts a minute before the first submission (Slurm prints local time, seconds precision).
	T0=$(date -d '-1 minute' +%Y-%m-%dT%H:%M:%S)
	# this run's outputs replace the previous run's (none is left over if the run fails half-way)
	rm -f "$OUT"/*.sacct.txt "$OUT"/*.sacct.json "$OUT"/*.sacct.json.gz "$OUT"/{commands.tsv,dependencies.tsv,expected.json}
	cd "$HERE/jobs"  # job scripts are submitted by their bare names (sacct's SubmitLine shows them so)
	printf 'file\tcommand\n' >"$OUT/commands.tsv"
	# array-running.sacct.txt is written during the run (see misc_workloads)
	printf 'workflow\tparent_id\tchild_id\tparent_name\tchild_name\ttype\n' >"$OUT/dependencies.tsv"
	workflow workflow-sync
	workflow workflow-async
	misc_workloads
	wait_accounting
	dump
	python3 "$HERE/figures.py" "$OUT" "slurm_version=$(cat "$RUN/slurm-version.txt")" \
		"timezone=$(cat /etc/timezone 2>/dev/null || date +%Z) (UTC offset $(date +%z))" \
		"nodes=$(sinfo -h -N -o '%N partition=%P cpus=%c gres=%G' | tr '\n' ';')" \
		"sacct_window={\"start\": \"$T0\", \"end\": \"$T1\"}" \
		'ideal_makespan_s={"workflow-sync": 75, "workflow-async": 55}' \
		>"$OUT/expected.json"
	log "figures written to $OUT/expected.json"
}

case "${1:-all}" in
all) main ;;
# For debugging the configuration: leave a running cluster behind (SLURM_CONF=$RUN/etc/slurm.conf), or stop it.
start) install_packages; [ -d "$RUN" ] && stop_daemons; configure; start_daemons ;;
stop) stop_daemons ;;
*) die "usage: $0 [all|start|stop]" ;;
esac
