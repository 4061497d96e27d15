#!/bin/bash
# Heterogeneous job: component 0 is CPU-only (on aux1), component 1 has a GPU (on node1); a step runs on
# component 1 while the batch script (component 0) waits for it.
#SBATCH -p aux -n1 -c2
#SBATCH hetjob
#SBATCH -p debug -n1 -c1 --gres=gpu:a100:1
srun --het-group=1 sleep 3
sleep 1
