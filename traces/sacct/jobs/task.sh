#!/bin/bash
# One workflow task: sleeps for the seconds given as $1 (the paper's task durations divided by 100).
sleep "$1"
