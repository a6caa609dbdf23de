# ddb-writes-1min.gp, written by mrb-analyze: run gnuplot ddb-writes-1min.gp here to redraw
set terminal pngcairo size 900,500
set termoption noenhanced
set output 'ddb-writes-1min.png'
set title 'DynamoDB writes per minute'
set xlabel 'time (UTC)'
set ylabel 'writes per minute (10 s buckets)'
set grid
set key left top
set xdata time
set timefmt '%s'
set format x '%H:%M'
plot 'ddb-writes-1min.dat' index 0 using 1:2 with linespoints lw 2 pt 7 ps 0.5 lc rgb '#2ca02c' title 'go', \
     'ddb-writes-1min.dat' index 1 using 1:2 with linespoints lw 2 pt 7 ps 0.5 lc rgb '#9467bd' title 'kotlin', \
     'ddb-writes-1min.dat' index 2 using 1:2 with linespoints lw 2 pt 7 ps 0.5 lc rgb '#1f77b4' title 'python', \
     'ddb-writes-1min.dat' index 3 using 1:2 with linespoints lw 2 pt 7 ps 0.5 lc rgb '#ff7f0e' title 'typescript', \
     'ddb-writes-1min.dat' index 4 using 1:2 with linespoints lw 2 pt 7 ps 0.5 lc rgb '#d62728' title 'unattributed'
set terminal svg size 900,500
set termoption noenhanced
set output 'ddb-writes-1min.svg'
replot
unset output
