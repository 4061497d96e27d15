#!/bin/bash
# Job array element: sleeps 2 + its index seconds, so the elements end at different times.
sleep $((2 + SLURM_ARRAY_TASK_ID))
