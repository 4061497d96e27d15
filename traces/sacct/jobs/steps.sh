#!/bin/bash
# Several job steps inside one allocation: two concurrent CPU-only steps (.0 and .1, --gres=none so that
# neither holds the job's GPU), then one step with the GPU (.2) and one failing step (.3, exit 5); the batch
# script itself ends with exit 0.
srun --exact --gres=none -n1 -c1 sleep 3 &
srun --exact --gres=none -n1 -c1 sleep 4 &
wait
srun -n1 --gres=gpu:1 sleep 2
srun -n1 sh -c 'sleep 1; exit 5' || true
exit 0
