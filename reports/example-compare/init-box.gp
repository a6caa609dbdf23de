# init-box.gp, written by mrb-analyze: run gnuplot init-box.gp here to redraw
set terminal pngcairo size 900,500
set termoption noenhanced
set output 'init-box.png'
set title 'Init duration'
set xlabel 'runtime'
set ylabel 'init (ms)'
set grid
set style fill solid 0.4 border
set boxwidth 0.5
set key right top
set xrange [-0.5:3.5]
set xtics ('go (n=10)' 0, 'kotlin (n=10)' 1, 'python (n=10)' 2, 'typescript (n=10)' 3)
plot 'init-box.dat' index 0 using 1:3:2:6:5 with candlesticks whiskerbars lc rgb '#2ca02c' notitle, 'init-box.dat' index 0 using 1:4:4:4:4 with candlesticks lw 2 lc rgb '#000000' notitle, \
     'init-box.dat' index 1 using 1:3:2:6:5 with candlesticks whiskerbars lc rgb '#9467bd' notitle, 'init-box.dat' index 1 using 1:4:4:4:4 with candlesticks lw 2 lc rgb '#000000' notitle, \
     'init-box.dat' index 2 using 1:3:2:6:5 with candlesticks whiskerbars lc rgb '#1f77b4' notitle, 'init-box.dat' index 2 using 1:4:4:4:4 with candlesticks lw 2 lc rgb '#000000' notitle, \
     'init-box.dat' index 3 using 1:3:2:6:5 with candlesticks whiskerbars lc rgb '#ff7f0e' notitle, 'init-box.dat' index 3 using 1:4:4:4:4 with candlesticks lw 2 lc rgb '#000000' notitle
set terminal svg size 900,500
set termoption noenhanced
set output 'init-box.svg'
replot
unset output
